import Foundation

/// One input modality (image, audio, text, …): how a sample's file becomes the tensor a backbone consumes.
///
/// A modality plugin owns decoding (JPEG/PNG, WAV, text) and the preprocessing steps (sizes, normalisation,
/// MFCC, tokenisation); which of them an input gets is said by the pipeline, as `ModalityOptions` whose keys
/// the plugin documents. So a pipeline only pairs files and names the options of each input.
public protocol Modality {
    /// The registry name, e.g. `"image"`.
    var name: String { get }
    /// Decodes `url` and applies the preprocessing `options` describe (evaluation-time transforms).
    /// - Throws: `HNASError` naming the file when it cannot be read or decoded, or the option that is invalid.
    func load(_ url: URL, options: ModalityOptions) throws -> Tensor
}

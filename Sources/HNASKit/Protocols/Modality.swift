import Foundation

/// One input modality (image, audio, text, …): how a sample's file becomes the tensor a backbone consumes.
///
/// A modality plugin owns decoding (JPEG/PNG, WAV, text) and the dataset-specific preprocessing
/// the original applies (sizes, normalisation, MFCC parameters, tokenisation), so a pipeline only
/// pairs files and asks each modality to load its part.
public protocol Modality {
    /// The registry name, e.g. `"image"`.
    var name: String { get }
    /// The datasets this modality has default preprocessing for, e.g. `["avmnist", "mmimdb", "memes"]`.
    var datasets: [String] { get }
    /// Decodes `url` and applies the preprocessing of `dataset` (evaluation-time transforms).
    /// - Throws: `HNASError` naming the file when it cannot be read or decoded, or the dataset when it is unknown.
    func load(_ url: URL, dataset: String) throws -> Tensor
    /// Preprocesses an input given inline rather than as a file (e.g. a meme's text from its
    /// annotation line). The default implementation throws: most modalities read files only.
    /// - Throws: `HNASError` naming the dataset when the modality or dataset takes no inline input.
    func load(text: String, dataset: String) throws -> Tensor
}

extension Modality {
    /// Modalities whose inputs are always files keep this default.
    /// - Throws: `HNASError` naming the dataset: this modality takes no inline inputs.
    public func load(text: String, dataset: String) throws -> Tensor {
        throw HNASError("cannot use inline text", .argument(dataset),
                        why: "the \(name) modality loads its inputs from files")
    }
}

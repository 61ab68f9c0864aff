import Foundation

/// One input stream of a dataset (e.g. `image`, `audio`): its name and how one source becomes a tensor.
///
/// For the stock pipelines the decoder is a `Modality` plugin (injected by the caller, so HNASKit
/// never depends on a codec) with the pipeline's options for the input: `load(_:options:)` for files and,
/// for an `InlineTextModality`, `load(text:options:)` for inline text. The decoder must be safe to call from several threads.
public struct DatasetInput {
    /// The input's name, normally the modality name (`"image"`, `"audio"`, `"text"`).
    public let name: String
    /// Decodes one source into the tensor the backbone consumes.
    public let decode: (SampleSource) throws -> Tensor

    public init(name: String, decode: @escaping (SampleSource) throws -> Tensor) {
        self.name = name
        self.decode = decode
    }

    /// The input decoded by `modality` with the preprocessing `options` describe. Inline text needs a
    /// modality that is an `InlineTextModality`; otherwise it is an error naming the modality.
    public init(modality: any Modality, options: ModalityOptions) {
        self.init(name: modality.name) { source in
            switch source {
            case .file(let url):
                return try modality.load(url, options: options)
            case .text(let text):
                guard let textModality = modality as? any InlineTextModality else {
                    throw HNASError("cannot decode inline text", .argument(modality.name),
                                    why: "the '\(modality.name)' modality reads files only")
                }
                return try textModality.load(text: text, options: options)
            }
        }
    }
}

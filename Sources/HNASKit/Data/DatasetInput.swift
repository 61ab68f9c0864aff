import Foundation

/// One input stream of a dataset (e.g. `image`, `audio`): its name and how one file becomes a tensor.
///
/// For the stock pipelines the decoder is a `Modality` plugin's `load(_:dataset:)` (injected by the
/// caller, so HNASKit never depends on a codec) or an array reader such as the MM-IMDB `.npy` image
/// resize. The decoder must be safe to call from several threads at once.
public struct DatasetInput {
    /// The input's name, normally the modality name (`"image"`, `"audio"`, `"text"`).
    public let name: String
    /// Decodes one file into the tensor the backbone consumes.
    public let decode: (URL) throws -> Tensor

    public init(name: String, decode: @escaping (URL) throws -> Tensor) {
        self.name = name
        self.decode = decode
    }

    /// The input decoded by `modality` with the preprocessing of `dataset`.
    public init(modality: any Modality, dataset: String) {
        self.init(name: modality.name) { url in try modality.load(url, dataset: dataset) }
    }
}

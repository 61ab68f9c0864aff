import Foundation
import HNASKit

/// The `image` modality: decodes a JPEG or PNG (or, for MM-IMDB, the original's `.npy` poster
/// array) and applies the preprocessing the pipeline's options describe (`ImagePreprocessing(options:)`).
public struct ImageModality: Modality {
    public let name = "image"
    public let decoder: ImageDecoder

    /// The first bytes of a NumPy `.npy` file.
    private static let numpyMagic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    public init(decoder: ImageDecoder = ImageDecoder()) {
        self.decoder = decoder
    }

    /// Decodes `url` and applies `ImagePreprocessing(options:)`.
    /// - Throws: `HNASError` naming the file when it cannot be read or decoded, or the option that is invalid.
    public func load(_ url: URL, options: ModalityOptions) throws -> Tensor {
        try load(url, preprocessing: ImagePreprocessing(options: options))
    }

    /// Decodes `url` and applies `preprocessing`. The format comes from the file's first bytes:
    /// JPEG, PNG, or a NumPy array (accepted by array-based preprocessing only).
    /// - Throws: `HNASError` naming the file.
    public func load(_ url: URL, preprocessing: ImagePreprocessing) throws -> Tensor {
        let data = try ImageDecoder.contents(of: url)
        do {
            if data.starts(with: Self.numpyMagic) {
                return try preprocessing.tensor(fromArray: NPYFile(bytes: [UInt8](data), path: url.relativePath).tensor())
            }
            return try preprocessing.tensor(from: decoder.decode(data, name: url.relativePath))
        } catch let error as HNASError where error.subject != .file(url.relativePath) {
            throw HNASError.file(url.relativePath, "cannot preprocess image", why: error.description)
        }
    }
}

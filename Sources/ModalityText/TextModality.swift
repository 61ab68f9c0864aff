import Foundation
import HNASKit

/// The `text` modality: what the original feeds its Maxout text backbone.
///
/// - `mmimdb`: a precomputed 300-d feature vector (the plot's averaged word2vec embedding),
///   stored as `text_k.npy`; loaded as stored, shape `[300]`.
/// - `memes`: the meme's text as CLIP token ids with context 77 — `<|startoftext|>`, at most 75
///   ids, `<|endoftext|>`, zero padding — shape `[77]`. The ids are exact in the Float tensor
///   (they are below 49,408 < 2^24) and, as in the original, are fed to the Maxout as raw real
///   values (no embedding; padding 0 coincides with the id of `!`). The text comes inline from
///   the annotation (`load(text:dataset:)`) or from a UTF-8 text file (`load(_:dataset:)`).
public struct TextModality: Modality {
    public let name = "text"
    public let datasets = ["mmimdb", "memes"]
    /// Width of the MM-IMDB text feature.
    public static let mmimdbFeatureWidth = 300

    private let tokenizer: () throws -> CLIPTokenizer

    /// Uses `tokenizer` for Memes text; by default the bundled CLIP vocabulary, loaded on first use.
    public init(tokenizer: @escaping () throws -> CLIPTokenizer = CLIPTokenizer.bundled) {
        self.tokenizer = tokenizer
    }

    /// - Throws: `HNASError` naming the file when it cannot be read or has the wrong shape/encoding,
    ///   or the dataset when it is not one of `datasets`.
    public func load(_ url: URL, dataset: String) throws -> Tensor {
        switch dataset {
        case "mmimdb":
            let array = try NPYFile(contentsOf: url)
            guard array.shape == [Self.mmimdbFeatureWidth] else {
                throw HNASError.file(url.relativePath, "cannot use MM-IMDB text feature",
                                     why: "its shape is \(array.shape), expected [\(Self.mmimdbFeatureWidth)]")
            }
            return try array.tensor()
        case "memes":
            let data = try FileContents.read(url, "cannot read text")
            guard let text = String(data: data, encoding: .utf8) else {
                throw HNASError.file(url.relativePath, "cannot read text", why: "it is not valid UTF-8")
            }
            return try load(text: text, dataset: dataset)
        default:
            throw unknown(dataset)
        }
    }

    /// Memes: the token-id vector of `text`.
    /// - Throws: `HNASError` for `mmimdb` (its text input is a feature file) or an unknown dataset.
    public func load(text: String, dataset: String) throws -> Tensor {
        switch dataset {
        case "memes":
            let row = try tokenizer().tokenize([text], contextLength: CLIPTokenizer.defaultContextLength)[0]
            return try Tensor(shape: [row.count], scalars: row.map(Float.init))
        case "mmimdb":
            throw HNASError("cannot use inline text", .argument(dataset),
                            why: "MM-IMDB text inputs are precomputed 300-d feature files (text_k.npy)")
        default:
            throw unknown(dataset)
        }
    }

    private func unknown(_ dataset: String) -> HNASError {
        HNASError("unknown dataset for the text modality", .argument(dataset),
                  why: "known: " + datasets.joined(separator: ", "))
    }
}

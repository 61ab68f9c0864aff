import Foundation
import HNASKit

/// The `text` modality: what the original feeds its Maxout text backbone, chosen by the pipeline's options.
///
/// - `{"input": "feature", "width": 300}` (MM-IMDB): a precomputed feature vector (the plot's averaged
///   word2vec embedding), stored as a `.npy` file (`text_k.npy`); loaded as stored, shape `[width]`.
/// - `{"input": "clip-tokens", "context": 77}` (Memes): the text as CLIP token ids with that context —
///   `<|startoftext|>`, at most context − 2 ids, `<|endoftext|>`, zero padding — shape `[context]`. The ids
///   are exact in the Float tensor (they are below 49,408 < 2^24) and, as in the original, are fed to the
///   Maxout as raw real values (no embedding; padding 0 coincides with the id of `!`). The text comes inline
///   from the annotation (`load(text:options:)`) or from a UTF-8 text file (`load(_:options:)`).
public struct TextModality: Modality {
    public let name = "text"
    /// The option keys the modality reads.
    public static let optionKeys = ["input", "width", "context"]

    /// What a text input is, as the options say.
    private enum Input {
        case feature(width: Int)
        case clipTokens(context: Int)
    }

    private let tokenizer: () throws -> CLIPTokenizer

    /// Uses `tokenizer` for CLIP token ids; by default the bundled CLIP vocabulary, loaded on first use.
    public init(tokenizer: @escaping () throws -> CLIPTokenizer = CLIPTokenizer.bundled) {
        self.tokenizer = tokenizer
    }

    /// - Throws: `HNASError` naming the file when it cannot be read or has the wrong shape/encoding, or the
    ///   option that is invalid.
    public func load(_ url: URL, options: ModalityOptions) throws -> Tensor {
        switch try Self.input(options) {
        case .feature(let width):
            let array = try NPYFile(contentsOf: url)
            guard array.shape == [width] else {
                throw HNASError.file(url.relativePath, "cannot use text feature", why: "its shape is \(array.shape), expected [\(width)]")
            }
            return try array.tensor()
        case .clipTokens:
            let data = try FileContents.read(url, "cannot read text")
            guard let text = String(data: data, encoding: .utf8) else {
                throw HNASError.file(url.relativePath, "cannot read text", why: "it is not valid UTF-8")
            }
            return try load(text: text, options: options)
        }
    }

    /// CLIP token ids: the token-id vector of `text`.
    /// - Throws: `HNASError` for feature inputs (they are precomputed files) or invalid options.
    public func load(text: String, options: ModalityOptions) throws -> Tensor {
        switch try Self.input(options) {
        case .clipTokens(let context):
            let row = try tokenizer().tokenize([text], contextLength: context)[0]
            return try Tensor(shape: [row.count], scalars: row.map(Float.init))
        case .feature(let width):
            throw HNASError("cannot use inline text", .argument("text"),
                            why: "this input is a precomputed \(width)-d feature file (e.g. MM-IMDB's text_k.npy)")
        }
    }

    private static func input(_ options: ModalityOptions) throws -> Input {
        try options.requireKeys(in: optionKeys, modality: "text")
        let kind = try options.string("input", modality: "text")
        switch kind {
        case "feature"?:
            guard let width = try options.positiveInt("width", modality: "text") else {
                throw options.failure("text", "width", "missing: a feature input needs its width")
            }
            guard options["context"] == nil else { throw options.failure("text", "context", "is for clip-tokens inputs") }
            return .feature(width: width)
        case "clip-tokens"?:
            guard options["width"] == nil else { throw options.failure("text", "width", "is for feature inputs") }
            return .clipTokens(context: try options.positiveInt("context", modality: "text") ?? CLIPTokenizer.defaultContextLength)
        default:
            throw options.failure("text", "input", kind.map { "'\($0)' is not feature or clip-tokens" } ?? "missing (feature or clip-tokens)")
        }
    }
}

import Foundation
import HNASKit

/// CLIP's byte-level BPE tokeniser, giving the same ids as OpenAI CLIP's `SimpleTokenizer` /
/// `clip.tokenize` (and open_clip's, apart from the spelling of the special-token literals).
///
/// `encode` cleans the text as CLIP does (ftfy's `fix_text`, `html.unescape` twice, whitespace
/// collapse, lower-casing; see `CLIPTextCleaner`), splits it into pieces (`CLIPPreTokenizer`),
/// writes each piece's UTF-8 bytes as byte characters and applies the BPE merges, marking the word
/// end with `</w>`.
///
/// ftfy repairs *not* reproduced, so ids can differ from CLIP's on such input:
/// - mojibake repair (`fix_encoding`, with `restore_byte_a0`, `replace_lossy_sequences`,
///   `decode_inconsistent_utf8`): "cafÃ©" stays "cafÃ©" where CLIP reads "café";
/// - `fix_surrogates` (a Swift string cannot hold lone surrogates).
/// All other ftfy steps are reproduced. Unicode tables are Swift's (17.0), Python 3.11's are 14.0:
/// case mappings of characters added since 14.0 can differ. The vocabulary has 49,408 entries; `<|startoftext|>` is 49406 and `<|endoftext|>`
/// 49407 (these literals in the text also encode to those ids, as in CLIP).
///
/// Thread-safe: BPE results are memoised per piece behind a lock.
public final class CLIPTokenizer: @unchecked Sendable {
    /// Number of token ids.
    public static let vocabularySize = CLIPVocabulary.size
    /// Id of `<|startoftext|>`, put before every tokenised text.
    public static let startOfTextID = CLIPVocabulary.startID
    /// Id of `<|endoftext|>`, put after every tokenised text (also when it is truncated).
    public static let endOfTextID = CLIPVocabulary.endID
    /// CLIP's context length.
    public static let defaultContextLength = 77

    private let vocabulary: CLIPVocabulary
    private let cleaner = CLIPTextCleaner()
    private var cache = [String: [Int]]()
    private let lock = NSLock()
    /// The memo is cleared when it grows past this many pieces, to bound memory on huge inputs.
    private static let cacheLimit = 200_000

    /// Loads the vocabulary from a gzip file in CLIP's format (`bpe_simple_vocab_16e6.txt.gz`).
    /// - Throws: `HNASError` naming the file when it is unreadable or malformed.
    public init(vocabularyURL: URL) throws {
        vocabulary = try CLIPVocabulary(contentsOf: vocabularyURL)
    }

    /// The vocabulary bundled with hnas (`bpe_simple_vocab_16e6.txt.gz`, MIT, from OpenAI CLIP via
    /// open_clip; see `README-vocabulary.md` next to it). Loaded once and shared.
    /// - Throws: `HNASError` when the resource is missing or unreadable.
    public static func bundled() throws -> CLIPTokenizer {
        bundledLock.lock()
        defer { bundledLock.unlock() }
        if let tokenizer = bundledTokenizer { return tokenizer }
        let tokenizer = try CLIPTokenizer(vocabularyURL: bundledVocabularyURL())
        bundledTokenizer = tokenizer
        return tokenizer
    }

    /// Where the bundled vocabulary is.
    /// - Throws: `HNASError` when the resource bundle does not contain it.
    public static func bundledVocabularyURL() throws -> URL {
        guard let url = Bundle.module.url(forResource: "bpe_simple_vocab_16e6.txt", withExtension: "gz") else {
            throw HNASError.file("bpe_simple_vocab_16e6.txt.gz", "cannot find the CLIP vocabulary",
                                 why: "it is missing from the ModalityText resource bundle")
        }
        return url
    }

    nonisolated(unsafe) private static var bundledTokenizer: CLIPTokenizer?
    private static let bundledLock = NSLock()

    /// The text CLIP actually tokenises: cleaned, whitespace-collapsed and lower-cased.
    public func clean(_ text: String) -> String {
        cleaner.clean(text)
    }

    /// The BPE ids of `text`, without start/end tokens or truncation.
    public func encode(_ text: String) -> [Int] {
        let scalars = Array(cleaner.clean(text).unicodeScalars)
        var ids = [Int]()
        for range in CLIPPreTokenizer.pieces(scalars) {
            ids += pieceIDs(String(String.UnicodeScalarView(scalars[range])))
        }
        return ids
    }

    private func pieceIDs(_ piece: String) -> [Int] {
        if piece == CLIPVocabulary.startOfText { return [Self.startOfTextID] }
        if piece == CLIPVocabulary.endOfText { return [Self.endOfTextID] }
        lock.lock()
        let cached = cache[piece]
        lock.unlock()
        if let cached { return cached }
        let ids = vocabulary.bpe(Array(piece.utf8))
        lock.lock()
        if cache.count >= Self.cacheLimit { cache.removeAll(keepingCapacity: true) }
        cache[piece] = ids
        lock.unlock()
        return ids
    }

    /// The text of `ids`, as CLIP decodes: token bytes joined, read as UTF-8 (invalid sequences
    /// become U+FFFD), every `</w>` replaced by a space. Special tokens appear as their literals.
    /// - Throws: `HNASError` for an id outside 0..<49408.
    public func decode(_ ids: [Int]) throws -> String {
        var bytes = [UInt8]()
        for id in ids {
            guard let tokenBytes = vocabulary.bytes(of: id) else {
                throw HNASError.argument("token id", why: "\(id) is outside the CLIP vocabulary 0..<\(Self.vocabularySize)")
            }
            bytes += tokenBytes
        }
        // Replaced in the bytes: as a String, "</w>" followed by a combining mark is not a match
        // (Swift compares grapheme clusters). ASCII bytes never join an invalid UTF-8 sequence, so
        // this equals CLIP's replacement after decoding.
        let marker = Array("</w>".utf8)
        var spaced = [UInt8]()
        spaced.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == marker[0], i + marker.count <= bytes.count, Array(bytes[i..<(i + marker.count)]) == marker {
                spaced.append(0x20)
                i += marker.count
            } else {
                spaced.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: spaced, as: UTF8.self)
    }

    /// CLIP's model input for each text: `<|startoftext|>`, the ids, `<|endoftext|>`, zero-padded to
    /// `contextLength`. A longer sequence is cut to `contextLength` and its last id replaced by
    /// `<|endoftext|>` (so at most `contextLength − 2` text ids are kept and the end token is
    /// always present), as open_clip's `tokenize` and `clip.tokenize(…, truncate=True)` do.
    /// - Throws: `HNASError` when `contextLength` is below 1.
    public func tokenize(_ texts: [String], contextLength: Int = CLIPTokenizer.defaultContextLength) throws -> [[Int]] {
        guard contextLength >= 1 else {
            throw HNASError.argument("--context-length", why: "must be at least 1, got \(contextLength)")
        }
        return texts.map { text in
            var ids = [Self.startOfTextID] + encode(text) + [Self.endOfTextID]
            if ids.count > contextLength {
                ids.removeLast(ids.count - contextLength)
                ids[contextLength - 1] = Self.endOfTextID
            }
            return ids + [Int](repeating: 0, count: contextLength - ids.count)
        }
    }
}

import Foundation
import HNASKit

/// CLIP's BPE vocabulary: 49,408 token strings and the ranked merge rules, read from
/// `bpe_simple_vocab_16e6.txt.gz` (a version header, then one merge rule "A B" per line).
///
/// Ids: 0–255 the byte characters in `ByteSymbolMap` order, 256–511 the same with `</w>`
/// appended, 512–49405 the concatenations of merge rules 1…48894 (rank = line − 1), then
/// `<|startoftext|>` (49406) and `<|endoftext|>` (49407). Lines after the 48,894th are unused.
/// Symbols are handled as ids throughout: every symbol BPE can produce is a vocabulary entry.
struct CLIPVocabulary {
    /// Number of merge rules CLIP uses (49152 − 256 − 2).
    static let mergeCount = 48_894
    /// Number of ids: the 512 byte symbols, one per merge rule, and the two special tokens.
    static let size = 2 * 256 + mergeCount + 2
    /// Id of `<|startoftext|>` (49406).
    static let startID = size - 2
    /// Id of `<|endoftext|>` (49407).
    static let endID = size - 1
    static let startOfText = "<|startoftext|>"
    static let endOfText = "<|endoftext|>"

    let byteMap = ByteSymbolMap()
    /// The token string of every id, e.g. `"hello</w>"`.
    let tokens: [String]
    /// `baseID[b]`: the id of byte `b` as a word-inner symbol; `+ 256` gives the word-final one.
    let baseID: [Int32]
    /// Merge rank of an adjacent symbol pair, keyed by `pairKey(a, b)`.
    let rank: [UInt64: Int32]
    /// The id of the symbol a merge of rank `r` produces.
    let mergedID: [Int32]

    /// Reads the gzip vocabulary at `url`.
    /// - Throws: `HNASError` naming the file when it is unreadable, not gzip, not UTF-8 or malformed.
    init(contentsOf url: URL) throws {
        let bytes = try GzipFile.contents(of: url)
        guard let text = String(validatingUTF8: bytes.map { CChar(bitPattern: $0) } + [0]) else {
            throw HNASError.file(url.path, "cannot read the CLIP vocabulary", why: "the decompressed text is not UTF-8")
        }
        try self.init(mergeText: text, path: url.path)
    }

    /// Builds the vocabulary from the decompressed file text; `path` names it in errors.
    init(mergeText text: String, path: String) throws {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > Self.mergeCount else {
            throw HNASError.file(path, "cannot read the CLIP vocabulary",
                                 why: "it has \(max(lines.count - 1, 0)) merge rules, \(Self.mergeCount) are needed")
        }
        var pairs = [(Substring, Substring)]()
        pairs.reserveCapacity(Self.mergeCount)
        for (index, line) in lines[1...Self.mergeCount].enumerated() {
            let parts = line.split(separator: " ")
            guard parts.count == 2 else {
                throw HNASError.file(path, "cannot read the CLIP vocabulary",
                                     why: "line \(index + 2) is not a merge rule 'A B': '\(line.prefix(40))'")
            }
            pairs.append((parts[0], parts[1]))
        }

        let map = byteMap
        var tokens = map.order.map { String(map.scalar[Int($0)]) }
        tokens += tokens.map { $0 + "</w>" }
        tokens += pairs.map { String($0.0) + String($0.1) }
        tokens += [Self.startOfText, Self.endOfText]
        assert(tokens.count == Self.size, "the id layout must match CLIPVocabulary.size")
        // Later entries win on duplicate strings, as in a dictionary built from the list in order.
        var id = [String: Int32](minimumCapacity: tokens.count)
        for (index, token) in tokens.enumerated() { id[token] = Int32(index) }

        var baseID = [Int32](repeating: 0, count: 256)
        for (index, byte) in map.order.enumerated() { baseID[Int(byte)] = Int32(index) }

        var rank = [UInt64: Int32](minimumCapacity: pairs.count)
        var mergedID = [Int32]()
        mergedID.reserveCapacity(pairs.count)
        for (r, pair) in pairs.enumerated() {
            let merged = id[String(pair.0) + String(pair.1)]!
            mergedID.append(merged)
            // A rule whose halves are not vocabulary entries can never apply.
            if let a = id[String(pair.0)], let b = id[String(pair.1)] {
                rank[Self.pairKey(a, b)] = Int32(r)
            }
        }
        self.tokens = tokens
        self.baseID = baseID
        self.rank = rank
        self.mergedID = mergedID
    }

    @inline(__always)
    static func pairKey(_ a: Int32, _ b: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b))
    }

    /// The BPE ids of one pre-tokenised piece given as UTF-8 bytes: start from one symbol per byte
    /// (the last one word-final), then repeatedly merge every non-overlapping occurrence, left to
    /// right, of the adjacent pair with the lowest rank, until no pair is a rule.
    func bpe(_ bytes: [UInt8]) -> [Int] {
        guard let last = bytes.last else { return [] }
        var word = bytes.dropLast().map { baseID[Int($0)] }
        word.append(baseID[Int(last)] + 256)
        while word.count > 1 {
            var best = Int32.max
            var bestPair: UInt64 = 0
            for i in 0..<(word.count - 1) {
                let key = Self.pairKey(word[i], word[i + 1])
                if let r = rank[key], r < best {
                    best = r
                    bestPair = key
                }
            }
            if best == Int32.max { break }
            let merged = mergedID[Int(best)]
            var next = [Int32]()
            next.reserveCapacity(word.count)
            var i = 0
            while i < word.count {
                if i + 1 < word.count, Self.pairKey(word[i], word[i + 1]) == bestPair {
                    next.append(merged)
                    i += 2
                } else {
                    next.append(word[i])
                    i += 1
                }
            }
            word = next
        }
        return word.map(Int.init)
    }

    /// The bytes token `id` stands for (`</w>` kept literally); nil for an id outside the vocabulary.
    func bytes(of id: Int) -> [UInt8]? {
        guard tokens.indices.contains(id) else { return nil }
        if id >= Self.startID { return Array(tokens[id].utf8) }
        return byteMap.bytes(for: tokens[id])
    }
}

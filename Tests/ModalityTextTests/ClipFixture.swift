import Foundation
import XCTest

/// The fixtures `Scripts/make_clip_token_fixture.py` wrote with CLIP's own tokeniser.
enum ClipFixture {
    struct Entry: Decodable {
        let kind: String
        let text: String
        let clean: String
        let ids: [Int]
        let row: [Int]
        let decoded: String
        let mojibake: Bool?
        let clean_without_mojibake_repair: String?
        let ids_without_mojibake_repair: [Int]?
    }

    struct DecodeCase: Decodable {
        let ids: [Int]
        let text: String
    }

    struct Corpus: Decodable {
        let entries: [Entry]
        let decode_cases: [DecodeCase]
    }

    struct UnicodeTables: Decodable {
        /// Runs `[first code point, class]` of the classes CLIP's pattern sees.
        let pattern_classes: [[Value]]
        /// `[code point, [lower-case code points]]` for every character Python's `str.lower` changes.
        let lower: [[Value]]
        let isspace: [UInt32]
        let python_unicode: String
    }

    /// An integer, a string or an array of integers (the JSON tables mix them).
    enum Value: Decodable {
        case int(UInt32), string(String), ints([UInt32])

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let v = try? c.decode(UInt32.self) { self = .int(v) }
            else if let v = try? c.decode(String.self) { self = .string(v) }
            else { self = .ints(try c.decode([UInt32].self)) }
        }

        var int: UInt32 { if case .int(let v) = self { return v }; preconditionFailure("not an int") }
        var string: String { if case .string(let v) = self { return v }; preconditionFailure("not a string") }
        var ints: [UInt32] { if case .ints(let v) = self { return v }; preconditionFailure("not ints") }
    }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func corpus() throws -> Corpus {
        try JSONDecoder().decode(Corpus.self, from: Data(contentsOf: directory.appendingPathComponent("clip_tokens.json")))
    }

    static func unicodeTables() throws -> UnicodeTables {
        try JSONDecoder().decode(UnicodeTables.self, from: Data(contentsOf: directory.appendingPathComponent("unicode_tables.json")))
    }
}

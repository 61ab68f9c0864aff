import HNASKit
@testable import ModalityText
import XCTest

/// The tokeniser against ids written by CLIP's own tokeniser for a 420-line corpus.
final class CLIPTokenizerTests: XCTestCase {
    static let tokenizer = Result { try CLIPTokenizer.bundled() }
    static let corpus = Result { try ClipFixture.corpus() }

    private func tokenizer() throws -> CLIPTokenizer { try Self.tokenizer.get() }
    private func corpus() throws -> ClipFixture.Corpus { try Self.corpus.get() }

    func testCorpusCoversWhatTheIssueAsksFor() throws {
        let kinds = Dictionary(grouping: try corpus().entries, by: \.kind).mapValues(\.count)
        XCTAssertGreaterThanOrEqual(try corpus().entries.count, 300)
        for kind in ["accents", "cjk", "emoji", "numbers", "contractions", "urls", "html", "long", "whitespace"] {
            XCTAssertGreaterThan(kinds[kind] ?? 0, 0, kind)
        }
        XCTAssertTrue(try corpus().entries.contains { $0.ids.count > 75 }, "some lines must truncate")
        XCTAssertTrue(try corpus().entries.contains { $0.text.isEmpty })
    }

    func testVocabularySizeAndSpecialTokens() throws {
        let t = try tokenizer()
        XCTAssertEqual(CLIPTokenizer.vocabularySize, 49_408)
        XCTAssertEqual(try t.decode([49_406, 49_407]), "<|startoftext|><|endoftext|>")
        // id 94 is the lone byte 0xA1 (invalid UTF-8 → U+FFFD); 512 is the first merge "in".
        XCTAssertEqual(try t.decode([0, 93, 94, 256, 512, 49_405]), "!~\u{FFFD}! injekyll ")
        XCTAssertEqual(try t.decode([127, 256 + 102]), "é ")  // bytes 0xC3, 0xA9 + </w>
        XCTAssertEqual(t.encode("<|startoftext|> x <|endoftext|>"), [49_406, 343, 49_407])
    }

    /// Every line whose CLIP cleaning does not involve ftfy's mojibake repair: ids 100% identical.
    func testIdsMatchCLIPOnCorpus() throws {
        let t = try tokenizer()
        var compared = 0
        for entry in try corpus().entries where entry.mojibake != true {
            XCTAssertEqual(t.encode(entry.text), entry.ids, "\(entry.kind): \(entry.text.debugDescription)")
            compared += 1
        }
        XCTAssertGreaterThanOrEqual(compared, 400)
    }

    /// Context 77 rows: start, ids, end, zero padding; long texts keep 75 ids and end with 49407.
    func testTokenizeRowsMatchCLIP() throws {
        let clean = try corpus().entries.filter { $0.mojibake != true }
        let rows = try tokenizer().tokenize(clean.map(\.text), contextLength: 77)
        for (entry, row) in zip(clean, rows) {
            XCTAssertEqual(row, entry.row, entry.text.debugDescription)
        }
        let long = try XCTUnwrap(clean.first { $0.ids.count > 75 })
        let row = try tokenizer().tokenize([long.text])[0]
        XCTAssertEqual(row.first, CLIPTokenizer.startOfTextID)
        XCTAssertEqual(row.last, CLIPTokenizer.endOfTextID)
        XCTAssertEqual(Array(row[1..<76]), Array(long.ids.prefix(75)))
    }

    func testTokenizeShortContextAndBadContext() throws {
        let t = try tokenizer()
        XCTAssertEqual(try t.tokenize(["Hello, world!"], contextLength: 4), [[49_406, 3306, 267, 49_407]])
        XCTAssertEqual(try t.tokenize([""], contextLength: 3), [[49_406, 49_407, 0]])
        XCTAssertEqual(try t.tokenize(["hi"], contextLength: 1), [[49_407]])
        XCTAssertThrowsError(try t.tokenize(["hi"], contextLength: 0)) { XCTAssertTrue($0 is HNASError) }
    }

    func testCleaningMatchesCLIP() throws {
        let t = try tokenizer()
        for entry in try corpus().entries where entry.mojibake != true {
            XCTAssertEqual(t.clean(entry.text), entry.clean, "\(entry.kind): \(entry.text.debugDescription)")
        }
    }

    /// Documented difference: ftfy's mojibake repair is not reproduced, so those lines give the ids of
    /// the text cleaned without it — and differ from CLIP's.
    func testMojibakeLinesAreTheDocumentedDifference() throws {
        let t = try tokenizer()
        let lines = try corpus().entries.filter { $0.mojibake == true }
        XCTAssertGreaterThanOrEqual(lines.count, 4)
        for entry in lines {
            XCTAssertEqual(t.clean(entry.text), entry.clean_without_mojibake_repair, entry.text.debugDescription)
            XCTAssertEqual(t.encode(entry.text), entry.ids_without_mojibake_repair, entry.text.debugDescription)
            XCTAssertNotEqual(t.encode(entry.text), entry.ids)
        }
    }

    /// decode(encode(x)) is CLIP's decode of CLIP's ids, and is the cleaned text up to spacing:
    /// every piece is followed by a space, so only the spaces differ.
    func testDecodeRoundTripsToCleanedText() throws {
        let t = try tokenizer()
        for entry in try corpus().entries where entry.mojibake != true {
            let decoded = try t.decode(t.encode(entry.text))
            XCTAssertEqual(decoded, entry.decoded, entry.text.debugDescription)
            // U+0345 is skipped by CLIP's pattern, like a space.
            let unspaced = { (s: String) in String(s.unicodeScalars.filter { $0 != " " && $0 != "\u{345}" }) }
            XCTAssertEqual(unspaced(decoded), unspaced(t.clean(entry.text)), entry.text.debugDescription)
        }
    }

    func testDecodeOfInvalidUTF8MatchesCLIP() throws {
        for c in try corpus().decode_cases {
            XCTAssertEqual(try tokenizer().decode(c.ids), c.text, "\(c.ids)")
        }
        XCTAssertThrowsError(try tokenizer().decode([49_408])) { XCTAssertTrue($0 is HNASError) }
        XCTAssertThrowsError(try tokenizer().decode([-1])) { XCTAssertTrue($0 is HNASError) }
    }

    func testConcurrentEncodingGivesTheSameIds() throws {
        let t = try tokenizer()
        let entries = Array(try corpus().entries.filter { $0.mojibake != true }.prefix(64))
        var results = [[Int]](repeating: [], count: entries.count)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: entries.count) { i in
            let ids = t.encode(entries[i].text)
            lock.lock()
            results[i] = ids
            lock.unlock()
        }
        XCTAssertEqual(results, entries.map(\.ids))
    }
}

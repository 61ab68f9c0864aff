import Foundation
import XCTest

/// `hnas tokenize` against the CLIP reference ids committed in `Tests/ModalityTextTests/Fixtures`
/// (made by `Scripts/make_clip_token_fixture.py` with open_clip's tokenizer).
final class TokenizeCommandTests: XCTestCase {
    private struct Fixture: Decodable {
        struct Entry: Decodable {
            let text: String
            let ids: [Int]
            let row: [Int]
            let decoded: String
            /// True when the reference cleaning used ftfy's mojibake repair, which the tokenizer
            /// documents it does not reproduce (see `CLIPTextCleaner`).
            let mojibake: Bool?
        }
        let entries: [Entry]
    }

    /// The reference entries that fit on one input line (no LF or CR scalar, which a `Character`
    /// search would miss inside a CR LF pair) and need no mojibake repair.
    private func entries() throws -> [Fixture.Entry] {
        let url = HNASProcess.root.appendingPathComponent("Tests/ModalityTextTests/Fixtures/clip_tokens.json")
        let all = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url)).entries
        func oneLine(_ text: String) -> Bool { !text.unicodeScalars.contains { $0 == "\n" || $0 == "\r" } }
        let oneLine = all.filter { oneLine($0.text) && oneLine($0.decoded) && $0.mojibake != true }
        XCTAssertGreaterThan(oneLine.count, 500)
        return oneLine
    }

    private static func row(_ ids: [Int]) -> String { "[" + ids.map(String.init).joined(separator: ",") + "]" }

    func testAnArgumentGivesCLIPsRowCutToTheContextLength() throws {
        let run = try HNASProcess.run(["tokenize", "Hello, world!", "--context-length", "8"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "[49406,3306,267,1002,256,49407,0,0]\n")
        XCTAssertEqual(run.stderr, "")
    }

    func testEveryLineOfAFileGivesTheReferenceRow() throws {
        let entries = try entries()
        let file = try HNASProcess.temporaryFolder(for: self).appendingPathComponent("texts.txt")
        try Data(entries.map { $0.text + "\n" }.joined().utf8).write(to: file)
        let run = try HNASProcess.run(["tokenize", "--file", file.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.lines.count, entries.count)
        for (line, entry) in zip(run.lines, entries) {
            XCTAssertEqual(line, Self.row(entry.row), entry.text)
        }
    }

    func testStdinIsReadWhenThereIsNoTextOrFile() throws {
        let run = try HNASProcess.run(["tokenize", "--context-length", "6"], stdin: Data("a photo of a cat\r\nThis is fine.\n".utf8))
        XCTAssertEqual(run.status, 0, run.stderr)
        let entries = try entries()
        let expected = ["a photo of a cat", "This is fine."].map { text in
            Self.row(Array(entries.first { $0.text == text }!.row.prefix(5)) + [49407])
        }
        XCTAssertEqual(run.lines, expected)
    }

    /// Id lists that start with 49406 are read as printed rows (the text began with a literal
    /// `<|startoftext|>`), so those are left to the next test.
    func testDecodeGivesCLIPsDecodingOfIds() throws {
        let entries = try entries().filter { $0.ids.first != 49406 }
        let input = entries.map { Self.row($0.ids) + "\n" }.joined()
        let run = try HNASProcess.run(["tokenize", "--decode"], stdin: Data(input.utf8))
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.lines.count, entries.count)
        for (line, entry) in zip(run.lines, entries) {
            XCTAssertEqual(line, entry.decoded, entry.text)
        }
    }

    func testDecodeOfAPrintedRowDropsTheSpecialTokensAndPadding() throws {
        let run = try HNASProcess.run(["tokenize", "--decode"], stdin: Data("[49406,3306,267,1002,256,49407,0,0]\n".utf8))
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "hello , world ! \n")
    }

    func testInvalidUTF8NamesTheFileAndLine() throws {
        let file = try HNASProcess.temporaryFolder(for: self).appendingPathComponent("bad.txt")
        let bytes = [UInt8]("ok\nstill ok\n".utf8) + [0x62, 0xFF, 0xFE, 0x0A]
        try Data(bytes).write(to: file)
        let run = try HNASProcess.run(["tokenize", "--file", file.path])
        assertOneErrorLine(run, containing: ["error: cannot read text '\(file.path)': line 3 is not valid UTF-8"])
    }

    func testDecodeOfSomethingElseThanIdsNamesTheLine() throws {
        let run = try HNASProcess.run(["tokenize", "--decode"], stdin: Data("[1,2]\nhello\n".utf8))
        assertOneErrorLine(run, containing: ["cannot decode token ids", "input 2 is not a JSON array of integers"])
    }

    func testANonPositiveContextLengthIsRejected() throws {
        let run = try HNASProcess.run(["tokenize", "x", "--context-length", "0"])
        assertOneErrorLine(run, containing: ["--context-length", "must be between 1 and 16384, got 0"])
    }
}

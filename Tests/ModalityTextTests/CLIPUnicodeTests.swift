@testable import ModalityText
import XCTest

/// The Unicode facts the tokeniser relies on, checked over the whole code space against the
/// tables Python (`str.lower`, `str.isspace`) and the `regex` module (CLIP's pattern) give.
final class CLIPUnicodeTests: XCTestCase {
    static let tables = Result { try ClipFixture.unicodeTables() }

    /// Every code point falls in the pattern class (letter / number / other / skipped) the `regex`
    /// module gives it (both use Unicode 17 data here; a Unicode version gap would show up as
    /// mismatches in newly assigned characters).
    func testPatternClassesMatchTheRegexModule() throws {
        let runs = try Self.tables.get().pattern_classes
        var mismatches = [String]()
        for (k, run) in runs.enumerated() {
            let first = run[0].int, kind = run[1].string
            let end = k + 1 < runs.count ? runs[k + 1][0].int : 0x110000
            guard kind != "surrogate" else { continue }
            let expected: CLIPPreTokenizer.CharacterClass
            switch kind {
            case "letter": expected = .letter
            case "number": expected = .number
            case "other": expected = .other
            default: expected = .skipped
            }
            for value in first..<end {
                let scalar = Unicode.Scalar(value)!
                let actual = CLIPPreTokenizer.characterClass(scalar)
                if actual != expected {
                    mismatches.append(String(format: "U+%04X", value))
                }
            }
        }
        XCTAssertEqual(mismatches, [])
    }

    /// Python's `str.lower` for every character it changes, and no other character changes —
    /// except for characters absent from Python's Unicode data.
    func testLowercaseMatchesPython() throws {
        let tables = try Self.tables.get()
        var python = [UInt32: [UInt32]]()
        for pair in tables.lower { python[pair[0].int] = pair[1].ints }
        var mismatches = [String]()
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value), scalar != "\u{03A3}" else { continue }
            let swift = CLIPTextCleaner.pythonLowercased([scalar]).map(\.value)
            let expected = python[value] ?? [value]
            if swift != expected, let age = scalar.properties.age, age.major <= 14 {
                mismatches.append(String(format: "U+%04X", value))
            }
        }
        XCTAssertEqual(mismatches, [])
        XCTAssertEqual(python[0x03A3], [0x03C3])
    }

    func testFinalSigma() {
        let lower = { (s: String) in String(String.UnicodeScalarView(CLIPTextCleaner.pythonLowercased(Array(s.unicodeScalars)))) }
        XCTAssertEqual(lower("ΟΔΥΣΣΕΥΣ"), "οδυσσευς")
        XCTAssertEqual(lower("Σ"), "σ")
        XCTAssertEqual(lower("ΑΣ."), "ας.")
        XCTAssertEqual(lower("ΑΣ'Α"), "ασ'α")
        XCTAssertEqual(lower("İ"), "i\u{307}")
    }

    func testWhitespaceMatchesPythonIsspace() throws {
        let expected = Set(try Self.tables.get().isspace)
        for value in UInt32(0)...0x3100 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            XCTAssertEqual(CLIPTextCleaner.isPythonWhitespace(scalar), expected.contains(value), String(format: "U+%04X", value))
        }
        XCTAssertTrue(expected.allSatisfy { $0 <= 0x3100 })
    }
}

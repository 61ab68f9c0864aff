import Foundation
import HNASKit
@testable import ModalityText
import XCTest

final class TextModalityTests: XCTestCase {
    private let modality = TextModality()
    /// The options the Memes and MM-IMDB pipelines give this modality.
    private let memes: ModalityOptions = ["input": "clip-tokens", "context": 77]
    private let mmimdb: ModalityOptions = ["input": "feature", "width": 300]

    func testRegisteredAsText() throws {
        var registry = Registry()
        ModalityText.register(into: &registry)
        XCTAssertEqual(try registry.modalities.make("text").name, "text")
    }

    /// Memes: the 77 CLIP ids as Floats, exactly (the spec's worked example).
    func testMemesTextBecomesSeventySevenIds() throws {
        let tensor = try modality.load(text: "Hello, world!", options: memes)
        XCTAssertEqual(tensor.shape, [77])
        XCTAssertEqual(Array(tensor.scalars.prefix(6)), [49_406, 3306, 267, 1002, 256, 49_407])
        XCTAssertEqual(Array(tensor.scalars.dropFirst(6)), [Float](repeating: 0, count: 71))

        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-meme-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data("Hello, world!".utf8).write(to: url)
        XCTAssertEqual(try modality.load(url, options: memes), tensor)
        try Data([0x48, 0xFF, 0x21]).write(to: url)
        XCTAssertThrowsError(try modality.load(url, options: memes)) { error in
            XCTAssertEqual((error as? HNASError)?.subject, .file(url.path))
        }
    }

    func testMMIMDBFeatureIsTheStoredVector() throws {
        let url = NPYFileTests.directory.appendingPathComponent("f4_300_text_feature.npy")
        let tensor = try modality.load(url, options: mmimdb)
        XCTAssertEqual(tensor.shape, [300])
        XCTAssertEqual(tensor.scalars, try NPYFile(contentsOf: url).floats)
        XCTAssertThrowsError(try modality.load(NPYFileTests.directory.appendingPathComponent("f4_2x3.npy"), options: mmimdb)) {
            XCTAssertTrue("\($0)".contains("expected [300]"), "\($0)")
        }
        XCTAssertThrowsError(try modality.load(NPYFileTests.directory.appendingPathComponent("truncated.npy"), options: mmimdb))
        XCTAssertThrowsError(try modality.load(text: "plot", options: mmimdb)) { XCTAssertTrue($0 is HNASError) }
    }

    func testInvalidOptionsAreErrorsNamingTheOption() {
        let bad: [(ModalityOptions, String)] = [
            ([:], "input"), (["input": "words"], "input"), (["input": "feature"], "width"), (["input": "feature", "width": -3], "width"),
            (["input": "feature", "width": 300, "context": 77], "context"), (["input": "clip-tokens", "width": 300], "width"),
            (["input": "clip-tokens", "language": "en"], "language"),
        ]
        for (options, key) in bad {
            XCTAssertThrowsError(try modality.load(text: "x", options: options), "\(options)") { error in
                XCTAssertEqual((error as? HNASError)?.subject, .argument(key), "\(options): \(error)")
            }
        }
        // A shorter context pads (or cuts) to that many ids.
        XCTAssertEqual(try modality.load(text: "Hello, world!", options: ["input": "clip-tokens", "context": 8]).shape, [8])
    }
}

extension TextModalityTests {
    /// The conformance lives in this target, so any client (not only the CLI) can hand a pipeline's
    /// inline text to it.
    func testIsAnInlineTextModality() throws {
        let erased: any Modality = TextModality()
        let inline = try XCTUnwrap(erased as? any InlineTextModality)
        XCTAssertEqual(try inline.load(text: "Hello, world!", options: memes).shape, [77])
    }
}

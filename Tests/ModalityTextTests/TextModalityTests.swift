import Foundation
import HNASKit
@testable import ModalityText
import XCTest

final class TextModalityTests: XCTestCase {
    private let modality = TextModality()

    func testRegisteredAsText() throws {
        var registry = Registry()
        ModalityText.register(into: &registry)
        XCTAssertEqual(try registry.modalities.make("text").name, "text")
    }

    /// Memes: the 77 CLIP ids as Floats, exactly (the spec's worked example).
    func testMemesTextBecomesSeventySevenIds() throws {
        let tensor = try modality.load(text: "Hello, world!", dataset: "memes")
        XCTAssertEqual(tensor.shape, [77])
        XCTAssertEqual(Array(tensor.scalars.prefix(6)), [49_406, 3306, 267, 1002, 256, 49_407])
        XCTAssertEqual(Array(tensor.scalars.dropFirst(6)), [Float](repeating: 0, count: 71))

        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-meme-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data("Hello, world!".utf8).write(to: url)
        XCTAssertEqual(try modality.load(url, dataset: "memes"), tensor)
        try Data([0x48, 0xFF, 0x21]).write(to: url)
        XCTAssertThrowsError(try modality.load(url, dataset: "memes")) { error in
            XCTAssertEqual((error as? HNASError)?.subject, .file(url.path))
        }
    }

    func testMMIMDBFeatureIsTheStoredVector() throws {
        let url = NPYFileTests.directory.appendingPathComponent("f4_300_text_feature.npy")
        let tensor = try modality.load(url, dataset: "mmimdb")
        XCTAssertEqual(tensor.shape, [300])
        XCTAssertEqual(tensor.scalars, try NPYFile(contentsOf: url).floats)
        XCTAssertThrowsError(try modality.load(NPYFileTests.directory.appendingPathComponent("f4_2x3.npy"), dataset: "mmimdb")) {
            XCTAssertTrue("\($0)".contains("expected [300]"), "\($0)")
        }
        XCTAssertThrowsError(try modality.load(NPYFileTests.directory.appendingPathComponent("truncated.npy"), dataset: "mmimdb"))
        XCTAssertThrowsError(try modality.load(text: "plot", dataset: "mmimdb")) { XCTAssertTrue($0 is HNASError) }
    }

    func testUnknownDatasetIsAnError() {
        XCTAssertThrowsError(try modality.load(text: "x", dataset: "avmnist")) { error in
            XCTAssertEqual((error as? HNASError)?.subject, .argument("avmnist"))
        }
        XCTAssertThrowsError(try modality.load(URL(fileURLWithPath: "/nonexistent"), dataset: "imagenet"))
    }
}

extension TextModalityTests {
    /// Through the protocol (as a pipeline calls it), inline text reaches the text modality's own
    /// implementation, not the throwing default.
    func testInlineTextDispatchesThroughTheProtocol() throws {
        let erased: any Modality = TextModality()
        XCTAssertEqual(try erased.load(text: "Hello, world!", dataset: "memes").scalars[1], 3306)
    }

    /// The conformance lives in this target, so any client (not only the CLI) can hand a pipeline's
    /// inline text to it.
    func testIsAnInlineTextModality() throws {
        let erased: any Modality = TextModality()
        let inline = try XCTUnwrap(erased as? any InlineTextModality)
        XCTAssertEqual(try inline.load(text: "Hello, world!", dataset: "memes").shape, [77])
    }
}

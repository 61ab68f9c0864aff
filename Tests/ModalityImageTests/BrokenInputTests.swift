import Foundation
import HNASKit
@testable import ModalityImage
import XCTest

/// Broken, hostile and misnamed inputs give an `HNASError` naming the file — never a crash.
final class BrokenInputTests: XCTestCase {
    var directory: URL!
    let decoder = ImageDecoder()

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-broken-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func file(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    /// Asserts that decoding `url` throws an `HNASError` about that file whose text contains `why`.
    private func assertRejected(_ url: URL, _ why: String, line: UInt = #line) {
        XCTAssertThrowsError(try decoder.decode(contentsOf: url), line: line) { error in
            guard let error = error as? HNASError else { return XCTFail("not an HNASError: \(error)", line: line) }
            XCTAssertEqual(error.subject, .file(url.path), line: line)
            XCTAssertTrue(error.description.contains(url.path), line: line)
            XCTAssertTrue(error.description.localizedCaseInsensitiveContains(why), "\(error) lacks '\(why)'", line: line)
        }
    }

    func testEmptyAndMissingFiles() throws {
        assertRejected(try file("empty.jpg", []), "empty")
        assertRejected(directory.appendingPathComponent("missing.png"), "cannot read")
        assertRejected(directory, "cannot read")
    }

    func testTruncatedFiles() throws {
        for name in ["baseline420.jpg", "progressive.jpg", "gray.jpg"] {
            let bytes = try Fixtures.bytes(name)
            assertRejected(try file("half-" + name, Array(bytes.prefix(bytes.count / 2))), "truncated")
            assertRejected(try file("head-" + name, Array(bytes.prefix(3))), "cannot decode JPEG")
        }
        for name in ["rgb8.png", "rgb8_interlaced.png", "palette4.png", "gray16.png"] {
            let bytes = try Fixtures.bytes(name)
            assertRejected(try file("half-" + name, Array(bytes.prefix(bytes.count / 2))), "cannot decode PNG")
            assertRejected(try file("header-" + name, Array(bytes.prefix(20))), "truncated")
        }
    }

    func testNonImagesWhateverTheirName() throws {
        assertRejected(try file("notes.jpg", Array("just some text\n".utf8)), "not a JPEG or PNG")
        var generator = SeededGenerator(seed: 7)
        let random = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        assertRejected(try file("random.png", random), "not a JPEG or PNG")
        let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        assertRejected(try file("garbage-after-signature.png", pngSignature + random), "cannot decode PNG")
        assertRejected(try file("garbage-after-soi.jpg", [0xFF, 0xD8, 0xFF] + random), "cannot decode JPEG")
    }

    func testHugeDeclaredDimensionsAreRefusedBeforeAllocating() throws {
        assertRejected(Fixtures.url("huge.png"), "more than the limit")
        assertRejected(Fixtures.url("huge.jpg"), "60000 x 60000")
        let strict = ImageDecoder(maxPixels: 100)
        XCTAssertThrowsError(try strict.decode(contentsOf: Fixtures.url("rgb8.png"))) { error in
            XCTAssertTrue("\(error)".contains("19 x 13"), "\(error)")
        }
    }

    func testCMYKJPEGIsRefusedClearly() {
        assertRejected(Fixtures.url("cmyk.jpg"), "CMYK")
    }

    func testModalityNamesTheFileForArraysAndInvalidOptions() throws {
        let npy = try Fixtures.bytes("poster_int32.npy")
        let truncated = try file("poster.npy", Array(npy.prefix(npy.count - 10)))
        XCTAssertThrowsError(try ImageModality().load(truncated, options: StockImageOptions.options("mmimdb"))) { error in
            XCTAssertEqual((error as? HNASError)?.subject, .file(truncated.path))
            XCTAssertTrue("\(error)".contains("truncated"), "\(error)")
        }
        // An array is only meaningful for MM-IMDB's preprocessing; others say so, naming the file.
        XCTAssertThrowsError(try ImageModality().load(Fixtures.url("poster_int32.npy"), options: StockImageOptions.options("memes"))) { error in
            XCTAssertEqual((error as? HNASError)?.subject, .file(Fixtures.url("poster_int32.npy").path))
        }
        XCTAssertThrowsError(try ImageModality().load(Fixtures.url("rgb8.png"), options: ["color": "rgb", "gamma": 2])) { error in
            XCTAssertEqual((error as? HNASError)?.subject, .argument("gamma"))
        }
    }

    /// 200 seeded mutations (bit flips, byte overwrites, insertions, deletions, truncations) of the
    /// fixtures: every one decodes or throws an `HNASError` naming the file; successes also go
    /// through a whole preprocessing chain.
    func testSeededFuzzNeverCrashes() throws {
        let sources = ["baseline420.jpg", "progressive.jpg", "gray.jpg", "baseline444.jpg", "rgb8.png",
                       "rgb8_interlaced.png", "palette8_trns.png", "gray16.png", "gray2_interlaced.png", "rgba16.png"]
        let originals = try sources.map { try Fixtures.bytes($0) }
        let bounded = ImageDecoder(maxPixels: 1 << 20)
        let preprocessing = try StockImageOptions.preprocessing("memes")
        var generator = SeededGenerator(seed: 2024)
        var decoded = 0, rejected = 0
        for round in 0..<200 {
            let which = Int.random(in: 0..<sources.count, using: &generator)
            var bytes = originals[which]
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let at = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<5, using: &generator) {
                case 0: bytes[at] ^= UInt8(1) << UInt8.random(in: 0...7, using: &generator)
                case 1: bytes[at] = UInt8.random(in: 0...255, using: &generator)
                case 2: bytes.insert(UInt8.random(in: 0...255, using: &generator), at: at)
                case 3: if bytes.count > 1 { bytes.remove(at: at) }
                default: bytes = Array(bytes.prefix(max(1, at)))
                }
            }
            let name = "fuzz-\(round)-\(sources[which])"
            do {
                let image = try bounded.decode(Data(bytes), name: name)
                decoded += 1
                if image.width <= 256 && image.height <= 256 {
                    XCTAssertEqual(try preprocessing.tensor(from: image).shape, [3, 112, 112])
                }
            } catch let error as HNASError {
                rejected += 1
                XCTAssertEqual(error.subject, .file(name))
            }
        }
        XCTAssertEqual(decoded + rejected, 200)
        XCTAssertGreaterThan(rejected, 0)
        XCTAssertGreaterThan(decoded, 0)
    }
}

import CZlib
import Foundation
import HNASKit
@testable import ModalityText
import XCTest

/// Unreadable or malformed vocabularies are `HNASError`s naming the file.
final class CLIPVocabularyTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-vocab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func assertVocabularyError(_ url: URL, _ reason: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try CLIPTokenizer(vocabularyURL: url), file: file, line: line) { error in
            guard let error = error as? HNASError else { return XCTFail("\(error)", file: file, line: line) }
            XCTAssertEqual(error.subject, .file(url.path), file: file, line: line)
            XCTAssertTrue(reason.isEmpty || error.why.contains(reason), "\(error)", file: file, line: line)
        }
    }

    /// gzip-compresses `bytes` with zlib (window bits 16 + 15 select the gzip wrapper).
    private func gzip(_ bytes: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        XCTAssertEqual(deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY,
                                     ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)), Z_OK)
        var input = bytes
        var output = [UInt8](repeating: 0, count: bytes.count + 1024)
        let produced: Int = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                XCTAssertEqual(deflate(&stream, Z_FINISH), Z_STREAM_END)
                return target.count - Int(stream.avail_out)
            }
        }
        deflateEnd(&stream)
        return Array(output[0..<produced])
    }

    private func write(_ bytes: [UInt8], _ name: String) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    func testMissingFile() {
        assertVocabularyError(directory.appendingPathComponent("absent.txt.gz"), "")
    }

    func testNotGzip() throws {
        assertVocabularyError(try write(Array("i n\nt h\n".utf8), "plain.txt.gz"), "not valid gzip")
        assertVocabularyError(try write([], "empty.txt.gz"), "empty")
    }

    func testTruncatedGzip() throws {
        let bundled = [UInt8](try Data(contentsOf: CLIPTokenizer.bundledVocabularyURL()))
        assertVocabularyError(try write(Array(bundled.prefix(5000)), "cut.txt.gz"), "truncated")
    }

    func testTooFewMergesAndMalformedLines() throws {
        assertVocabularyError(try write(gzip(Array("#version: 0.2\ni n\nt h\n".utf8)), "short.txt.gz"), "merge rules")
        let lines = ["#version: 0.2"] + (0..<48_894).map { $0 == 10 ? "bad-line" : "a b" }
        assertVocabularyError(try write(gzip(Array(lines.joined(separator: "\n").utf8)), "malformed.txt.gz"), "line 12")
        assertVocabularyError(try write(gzip([0x23, 0xFF, 0xFE, 0x0A]), "latin1.txt.gz"), "not UTF-8")
    }

    func testBundledVocabularyIsTheReferenceFile() throws {
        let url = try CLIPTokenizer.bundledVocabularyURL()
        XCTAssertEqual(try Data(contentsOf: url).count, 1_356_917)
        let text = try GzipFile.contents(of: url)
        XCTAssertEqual(text.filter { $0 == 0x0A }.count, 262_145)
        let license = url.deletingLastPathComponent().appendingPathComponent("LICENSE-open_clip.txt")
        XCTAssertTrue(try String(contentsOf: license, encoding: .utf8).contains("Permission is hereby granted, free of charge"))
        let note = url.deletingLastPathComponent().appendingPathComponent("README-vocabulary.md")
        XCTAssertTrue(try String(contentsOf: note, encoding: .utf8).contains("924691ac288e54409236115652ad4aa250f48203de50a9e4722a6ecd48d6804a"))
    }
}

import Foundation
import HNASKit
import XCTest

/// `NPYFile` against files numpy wrote (`Scripts/make_npy_fixtures.py`).
final class NPYFileTests: XCTestCase {
    struct Manifest: Decodable {
        struct Valid: Decodable {
            let file: String
            let descr: String
            let shape: [Int]
            let values: [Double]
            let numpy_save_bytes: Bool
        }
        struct Invalid: Decodable {
            let file: String
            let reason: String
        }
        let valid: [Valid]
        let invalid: [Invalid]
    }

    static let directory = ClipFixture.directory.appendingPathComponent("npy")

    private func manifest() throws -> Manifest {
        try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: Self.directory.appendingPathComponent("manifest.json")))
    }

    private func values(_ elements: NPYFile.Elements) -> [Double] {
        switch elements {
        case .float32(let v): return v.map(Double.init)
        case .float64(let v): return v
        case .int64(let v): return v.map(Double.init)
        case .int32(let v): return v.map(Double.init)
        case .bool(let v): return v.map { $0 ? 1 : 0 }
        }
    }

    func testReadsWhatNumpyWrote() throws {
        let fixtures = try manifest().valid
        XCTAssertEqual(Set(fixtures.map(\.descr)), ["<f4", "<f8", "<i8", "<i4", "|b1"])
        for fixture in fixtures {
            let array = try NPYFile(contentsOf: Self.directory.appendingPathComponent(fixture.file))
            XCTAssertEqual(array.shape, fixture.shape, fixture.file)
            XCTAssertEqual(array.elements.descr, fixture.descr, fixture.file)
            XCTAssertEqual(values(array.elements), fixture.values, fixture.file)
        }
    }

    func testVersionsTwoAndThreeAreRead() throws {
        for (file, major) in [("f4_v2.npy", 2), ("f4_v3.npy", 3)] {
            let bytes = try Data(contentsOf: Self.directory.appendingPathComponent(file))
            XCTAssertEqual(Int(bytes[6]), major, file)
            XCTAssertNoThrow(try NPYFile(bytes: [UInt8](bytes), path: file))
        }
    }

    /// The writer produces numpy's `np.save` bytes exactly, and reading them back is lossless.
    func testWriterMatchesNumpySaveByteForByte() throws {
        for fixture in try manifest().valid where fixture.numpy_save_bytes {
            let url = Self.directory.appendingPathComponent(fixture.file)
            let array = try NPYFile(contentsOf: url)
            XCTAssertEqual(array.encoded(), [UInt8](try Data(contentsOf: url)), fixture.file)
        }
    }

    func testWriteIsAtomicAndRoundTrips() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-npy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("labels.npy")
        let array = try NPYFile(shape: [2, 2], elements: .int64([1, -2, 3, Int64.max]))
        try array.write(to: url)
        XCTAssertEqual(try NPYFile(contentsOf: url), array)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["labels.npy"])
        XCTAssertThrowsError(try array.write(to: dir.appendingPathComponent("missing/x.npy"))) { error in
            XCTAssertTrue("\(error)".contains("missing/x.npy"), "\(error)")
        }
    }

    func testLargeHeaderUsesVersionTwo() throws {
        let shape = [Int](repeating: 1, count: 25_000)
        let bytes = try NPYFile(shape: shape, elements: .float32([5])).encoded()
        XCTAssertEqual(bytes[6], 2)
        XCTAssertEqual((bytes.count - 4) % 64, 0)
        XCTAssertEqual(try NPYFile(bytes: bytes, path: "big-header").shape, shape)
    }

    /// Unsupported or damaged files are `HNASError`s naming the file and the problem.
    func testBadFilesAreTypedErrors() throws {
        let fixtures = try manifest().invalid
        XCTAssertGreaterThanOrEqual(fixtures.count, 9)
        for fixture in fixtures {
            let url = Self.directory.appendingPathComponent(fixture.file)
            XCTAssertThrowsError(try NPYFile(contentsOf: url), fixture.file) { error in
                guard let error = error as? HNASError else { return XCTFail("\(fixture.file): \(error)") }
                XCTAssertEqual(error.subject, .file(url.path))
                XCTAssertTrue(error.why.contains(fixture.reason), "\(fixture.file): \(error)")
            }
        }
        XCTAssertThrowsError(try NPYFile(contentsOf: Self.directory.appendingPathComponent("absent.npy"))) {
            XCTAssertTrue($0 is HNASError)
        }
    }

    func testEveryTruncationIsAnErrorNotACrash() throws {
        let bytes = [UInt8](try Data(contentsOf: Self.directory.appendingPathComponent("f4_2x3.npy")))
        for length in 0..<bytes.count {
            XCTAssertThrowsError(try NPYFile(bytes: Array(bytes[0..<length]), path: "cut"), "length \(length)")
        }
    }

    func testTensorConversion() throws {
        let tensor = try NPYFile(contentsOf: Self.directory.appendingPathComponent("b1_2x2x2.npy")).tensor()
        XCTAssertEqual(tensor.shape, [2, 2, 2])
        XCTAssertEqual(tensor.scalars, [1, 0, 1, 0, 1, 0, 1, 0])
        XCTAssertThrowsError(try NPYFile(shape: [3], elements: .float32([1, 2])))
    }
}

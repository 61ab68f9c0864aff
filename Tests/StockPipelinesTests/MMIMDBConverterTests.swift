import XCTest
import HNASKit
@testable import StockPipelines

/// `hnas data prepare mmimdb` on the tiny HDF5 file of `Scripts/make_mmimdb_fixture.py`, compared
/// against the prepared folder numpy wrote from the same formulas.
final class MMIMDBConverterTests: XCTestCase {
    private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/mmimdb-hdf5")
    private var expected: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("HNASKitTests/Fixtures/mmimdb")
    }

    private func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-prepare-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    private func converter(_ hdf5: String) throws -> MMIMDBConverter {
        let data = try Data(contentsOf: fixtures.appendingPathComponent("tiny_split.json"))
        return MMIMDBConverter(hdf5: fixtures.appendingPathComponent(hdf5),
                               split: try MMIMDBSplit(json: data, path: "tiny_split.json"), splitData: data)
    }

    func testWritesTheSplitOrderedNPYLayoutInNativeTypes() throws {
        let out = try temporaryFolder().appendingPathComponent("mmimdb")
        var reports: [Int] = []
        try converter("tiny.hdf5").prepare(out: out, every: 4) { done, _ in reports.append(done) }
        XCTAssertEqual(reports, [4, 6])
        for stage in MMIMDBSplit.stages {
            let names = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent(stage).path).sorted()
            XCTAssertEqual(names, try FileManager.default.contentsOfDirectory(atPath: expected.appendingPathComponent(stage).path).sorted())
            for name in names {
                let got = try NPYFile(contentsOf: out.appendingPathComponent("\(stage)/\(name)"))
                XCTAssertEqual(got, try NPYFile(contentsOf: expected.appendingPathComponent("\(stage)/\(name)")), "\(stage)/\(name)")
            }
        }
        if case .int32 = try NPYFile(contentsOf: out.appendingPathComponent("train/image_000000.npy")).elements {} else {
            XCTFail("images keep the HDF5 file's int32")
        }
        XCTAssertEqual(try MMIMDBSplit(contentsOf: out.appendingPathComponent("mmimdb_split.json")),
                       try MMIMDBSplit(contentsOf: fixtures.appendingPathComponent("tiny_split.json")))
        XCTAssertEqual(MMIMDB.list(root: out).problems, [])
        // leaves nothing behind but the output
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.deletingLastPathComponent().path), ["mmimdb"])
    }

    func testRejectsBadInputWithoutWritingAnything() throws {
        let folder = try temporaryFolder()
        let out = folder.appendingPathComponent("mmimdb")
        XCTAssertThrowsError(try converter("no_genres.hdf5").prepare(out: out)) { error in
            XCTAssertEqual("\(error)", "missing HDF5 dataset '\(fixtures.path)/no_genres.hdf5': the file has no dataset 'genres'")
        }
        XCTAssertThrowsError(try converter("missing.hdf5").prepare(out: out)) { error in
            XCTAssertEqual("\(error)", "cannot open HDF5 file '\(fixtures.path)/missing.hdf5': No such file or directory")
        }
        XCTAssertThrowsError(try converter("tiny_split.json").prepare(out: out)) { error in
            XCTAssertTrue("\(error)".hasPrefix("cannot open HDF5 file"), "\(error)")
        }
        // a split file that lacks one of the file's ids
        let data = Data(#"{"train": ["0000101", "0000007", "0000230"], "dev": ["0000042"], "test": ["0000999"]}"#.utf8)
        let short = MMIMDBConverter(hdf5: fixtures.appendingPathComponent("tiny.hdf5"), split: try MMIMDBSplit(json: data, path: "s"), splitData: data)
        XCTAssertThrowsError(try short.prepare(out: out)) { error in
            XCTAssertEqual("\(error)", "sample in no split '\(fixtures.path)/tiny.hdf5': IMDb id '0000500' (row 0) is in none of the split file's lists")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [])
        // an existing output is never overwritten
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: false)
        XCTAssertThrowsError(try converter("tiny.hdf5").prepare(out: out)) { error in
            XCTAssertEqual("\(error)", "will not overwrite '\(out.path)': the output folder already exists")
        }
    }

    func testBundlesTheOriginalSplitFile() throws {
        let split = try MMIMDBSplit(contentsOf: try XCTUnwrap(MMIMDBConverter.bundledSplit))
        XCTAssertEqual(MMIMDBSplit.stages.map { split.ids[$0]?.count }, [15552, 2608, 7799])
    }
}

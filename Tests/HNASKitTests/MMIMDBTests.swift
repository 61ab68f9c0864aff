import XCTest
@testable import HNASKit

/// A test modality that returns a `.npy` file's array as stored (the real plugins resize/check it).
private struct ArrayModality: Modality {
    let name: String
    func load(_ url: URL, options: ModalityOptions) throws -> Tensor { try NPYFile(contentsOf: url).tensor() }
}

/// The prepared fixture from `Scripts/make_mmimdb_fixture.py`; values follow its formulas.
final class MMIMDBTests: XCTestCase {
    private let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/mmimdb")

    private func expectedImage(_ id: Int) -> [Float] {
        var values: [Float] = []
        for c in 0..<3 { for h in 0..<6 { for w in 0..<4 { values.append(Float((id % 97) * 10 + c * 100 - h * 7 + w - 60)) } } }
        return values
    }

    private func expectedLabel(_ id: Int) -> [Float] {
        (0..<23).map { g in ((id + g) % 5 == 0 || g == id % 23) ? 1 : 0 }
    }

    func testListsStagesInSplitFileOrder() throws {
        let listing = MMIMDB.list(root: fixture)
        XCTAssertEqual(listing.problems, [])
        let splits = try listing.validSplits()
        XCTAssertEqual(splits.map(\.name), ["train", "dev", "test"])
        XCTAssertEqual(splits.map { $0.samples.map(\.id) }, [["0000101", "0000007", "0000230"], ["0000042"], ["0000999", "0000500"]])
        XCTAssertEqual(splits[2].samples[1].inputs.map(\.name), ["image_000001.npy", "text_000001.npy"])
        XCTAssertEqual(splits[2].samples[1].label, .file(fixture.appendingPathComponent("test/label_000001.npy")))
    }

    func testLoadsImageTextAndMultiHotLabels() throws {
        let dataset = try MMIMDB.open(root: fixture, image: DatasetInput(modality: ArrayModality(name: "image"), options: [:]),
                                          text: DatasetInput(modality: ArrayModality(name: "text"), options: [:]))
        XCTAssertTrue(dataset.isMultiLabel)
        XCTAssertEqual(dataset.classNames.count, 23)
        let loader = try DataLoader(dataset: dataset, split: "train", options: .init(batchSize: 2), generator: SeededGenerator(seed: 1))
        let stream = loader.epoch()
        let first = try XCTUnwrap(try stream.next())
        XCTAssertEqual(first.inputs[0].shape, [2, 3, 6, 4])
        XCTAssertEqual(Array(first.inputs[0].scalars[72...]), expectedImage(7))
        XCTAssertEqual(first.inputs[1].shape, [2, 300])
        XCTAssertEqual(first.inputs[1].scalars[0], Float(Float(101) / 1000), accuracy: 1e-6)
        XCTAssertEqual(first.targets.shape, [2, 23])
        XCTAssertEqual(Array(first.targets.scalars[..<23]), expectedLabel(101))
        XCTAssertEqual(try XCTUnwrap(try stream.next()).count, 1)
        XCTAssertNil(try stream.next())
    }

    func testReportsUnpairedAndUnexpectedFilesAndBadSplits() throws {
        let root = try makeTemporaryFolder(self).appendingPathComponent("mm")
        try FileManager.default.copyItem(at: fixture, to: root)
        try FileManager.default.removeItem(at: root.appendingPathComponent("train/text_000001.npy"))
        try writeFile(root, "test/image_000002.npy", "x")
        let problems = MMIMDB.list(root: root).problems.map(\.description)
        XCTAssertEqual(problems, [
            "unpaired sample '\(root.path)/train': sample 1 (id 0000007) has no text_000001.npy",
            "unexpected file '\(root.path)/test/image_000002.npy': not a sample of the 2 'test' ids in mmimdb_split.json",
        ])

        try writeFile(root, "mmimdb_split.json", #"{"train": ["1", "2"], "dev": ["2"], "test": []}"#)
        XCTAssertEqual(MMIMDB.list(root: root).problems.map(\.description),
                       ["invalid MM-IMDB split file '\(root.path)/mmimdb_split.json': duplicate id '2': train[1] and dev[0]"])
        XCTAssertThrowsError(try MMIMDBSplit(json: Data(#"{"train": [1]}"#.utf8), path: "s.json")) { error in
            XCTAssertEqual("\(error)", "invalid MM-IMDB split file 's.json': 'train' is missing or not an array of id strings")
        }
    }

    func testLabelFilesAreValidated() throws {
        let root = try makeTemporaryFolder(self).appendingPathComponent("mm")
        try FileManager.default.copyItem(at: fixture, to: root)
        try NPYFile(shape: [23], elements: .int32([Int32](repeating: 2, count: 23))).write(to: root.appendingPathComponent("dev/label_000000.npy"))
        try NPYFile(shape: [22], elements: .int32([Int32](repeating: 0, count: 22))).write(to: root.appendingPathComponent("test/label_000001.npy"))
        let dataset = try MMIMDB.open(root: root, image: DatasetInput(modality: ArrayModality(name: "image"), options: [:]),
                                          text: DatasetInput(modality: ArrayModality(name: "text"), options: [:]))
        let report = DatasetVerifier.verify(dataset, threads: 2)
        XCTAssertEqual(report.failures.map(\.description), [
            "label out of range in '\(root.path)/dev/label_000000.npy': a multi-hot label holds values other than 0 and 1",
            "wrong label shape in '\(root.path)/test/label_000001.npy': expected [23], found [22]",
        ])
        XCTAssertEqual(report.decodedInputs, 12)
        XCTAssertEqual(report.checkedLabels, 6)
        XCTAssertEqual(report.shapes[0], [[3, 6, 4]: 6])
    }
}

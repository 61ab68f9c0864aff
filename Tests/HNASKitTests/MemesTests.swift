import XCTest
@testable import HNASKit

/// Test modalities: the image's byte count; the text's length in Unicode scalars, inline only.
private struct ByteCountModality: Modality {
    let name = "image"
    func load(_ url: URL, options: ModalityOptions) throws -> Tensor {
        try Tensor(shape: [1], scalars: [Float(try Data(contentsOf: url).count)])
    }
}

private struct TextLengthModality: InlineTextModality {
    let name = "text"
    func load(_ url: URL, options: ModalityOptions) throws -> Tensor {
        throw HNASError.file(url.path, "unexpected file", why: "memes text is inline")
    }
    func load(text: String, options: ModalityOptions) throws -> Tensor {
        try Tensor(shape: [77], scalars: [Float](repeating: Float(text.unicodeScalars.count), count: 77))
    }
}

/// The fixture from `Scripts/make_memes_fixture.py`.
final class MemesTests: XCTestCase {
    private let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/memes")

    func testListsAnnotationsInFileOrderWithTheOriginalsLabels() throws {
        let listing = Memes.list(root: fixture)
        XCTAssertEqual(listing.problems, [])
        let splits = try listing.validSplits()
        XCTAssertEqual(splits.map(\.name), ["train", "val", "test"])
        XCTAssertEqual(splits[0].samples.map(\.id), ["m01", "m02", "m03", "m04"])
        XCTAssertEqual(splits[0].samples.map(\.label), [.index(0), .index(2), .index(1), .index(2)])
        XCTAssertEqual(splits[0].samples[2].inputs, [.file(fixture.appendingPathComponent("images/m03.png")), .text("naïve café — über cool")])
        XCTAssertEqual(splits[2].samples[0].inputs[1], .text(""))

        let extended = try Memes.list(root: fixture, extended: true).validSplits()
        XCTAssertEqual(extended[0].samples.map(\.label), [.index(0), .index(5), .index(2), .index(8)])
        XCTAssertEqual(extended[1].samples.map(\.label), [.index(3)])
        XCTAssertEqual(Memes.classNames(extended: true).count, 9)
    }

    func testDecodesImagesFromFilesAndTextInline() throws {
        let dataset = try Memes.open(root: fixture, image: DatasetInput(modality: ByteCountModality(), options: [:]),
                                     text: DatasetInput(modality: TextLengthModality(), options: [:]))
        let batch = try XCTUnwrap(try DataLoader(dataset: dataset, split: "test", options: .init(batchSize: 8),
                                                 generator: SeededGenerator(seed: 1)).epoch().next())
        XCTAssertEqual(batch.inputs[0].scalars, [1849, 4418])
        XCTAssertEqual(batch.inputs[1].shape, [2, 77])
        XCTAssertEqual(batch.inputs[1].scalars[77], 26) // "read my lips: no new taxes"
        XCTAssertEqual(batch.classIndices, [0, 2])

        // a text modality that only reads files cannot take inline text: a clear error
        let fileOnly = Memes.dataset(splits: dataset.splits, image: DatasetInput(modality: ByteCountModality(), options: [:]),
                                     text: DatasetInput(modality: ByteCountModality(), options: [:]))
        XCTAssertThrowsError(try fileOnly.load(dataset.splits[0].samples[0])) { error in
            XCTAssertEqual("\(error)", "cannot decode inline text image: the 'image' modality reads files only")
        }
    }

    func testReportsEveryBadLineWithFileAndLine() throws {
        let root = try makeTemporaryFolder(self).appendingPathComponent("memes")
        try FileManager.default.copyItem(at: fixture, to: root)
        let train = root.appendingPathComponent("annotations/train.jsonl")
        let lines = [
            #"{"id": "a", "image": "m01.png", "labels": ["not harmful"], "text": "ok"}"#,
            #"{"id": "b", "image": "m01.png", "labels": ["not harmful"], "text": "unterminated"#,
            #"{"id": "c", "image": "nope.png", "labels": ["not harmful"], "text": "x"}"#,
            "",
            #"{"id": "a", "image": "m02.jpg", "labels": ["very harmful"], "text": "again"}"#,
            #"{"id": "d", "image": "m02.jpg", "labels": ["mildly harmful"], "text": "x"}"#,
            #"{"id": 5, "image": "m02.jpg", "labels": ["not harmful"], "text": "x"}"#,
        ]
        try Data(lines.joined(separator: "\n").utf8).write(to: train)
        try FileManager.default.removeItem(at: root.appendingPathComponent("annotations/val.jsonl"))
        try FileManager.default.removeItem(at: root.appendingPathComponent("annotations/test.jsonl"))
        let listing = Memes.list(root: root)
        XCTAssertEqual(listing.notes, ["\(root.path)/annotations/val.jsonl is missing; the original never loads the val split"])
        XCTAssertEqual(listing.splits.map(\.name), ["train"])
        let problems = listing.problems.map(\.description)
        XCTAssertEqual(problems, [
            "invalid JSON line '\(train.path):2': the line is not a JSON object",
            "unpaired sample '\(train.path):3': image '\(root.path)/images/nope.png' does not exist",
            "duplicate sample '\(train.path):5': meme id 'a' is also on line 1",
            "label out of range '\(train.path):6': labels[0] must be one of 'not harmful', 'somewhat harmful', 'very harmful', found 'mildly harmful'",
            "invalid annotation '\(train.path):7': field 'id' is missing or not a string",
            "missing annotation file '\(root.path)/annotations/test.jsonl': the memes layout needs annotations/test.jsonl",
        ])
    }

    func testExtendedLabelsNeedATarget() {
        XCTAssertEqual(Memes.classIndex(of: ["not harmful"], extended: true), .success(0))
        XCTAssertEqual(Memes.classIndex(of: ["somewhat harmful", "society"], extended: true), .success(4))
        XCTAssertEqual(Memes.classIndex(of: ["very harmful", "individual"], extended: true), .success(5))
        XCTAssertEqual(Memes.classIndex(of: ["very harmful"], extended: true),
                       .failure(Memes.LabelError(why: "the 9-class labels need labels[1] in individual, organization, community, society for 'very harmful', found nothing")))
        XCTAssertEqual(Memes.classIndex(of: [], extended: false),
                       .failure(Memes.LabelError(why: "labels[0] must be one of 'not harmful', 'somewhat harmful', 'very harmful', found nothing")))
    }
}

import Foundation
import HNASKit
import ModalityImage
import ModalityText
import StockPipelines
import XCTest

/// The three stock pipelines as the registry offers them: names, inputs and roles, labels, splits, defaults.
final class StockPipelinesTests: XCTestCase {
    private func registry() -> Registry {
        var registry = Registry()
        StockPipelines.register(into: &registry)
        return registry
    }

    func testTheThreePipelinesAreRegisteredWithTheirInputsAndDefaults() throws {
        let registry = registry()
        XCTAssertEqual(registry.pipelines.names, ["avmnist", "mmimdb", "memes"])
        let avmnist = try registry.pipelines.make("avmnist"), mmimdb = try registry.pipelines.make("mmimdb"),
            memes = try registry.pipelines.make("memes")
        XCTAssertEqual(avmnist.searchedInputs.map(\.modality), ["image", "audio"])
        XCTAssertEqual(avmnist.fixedInputs, [])
        XCTAssertNil(avmnist.splits.validation)
        XCTAssertEqual(avmnist.classNames.count, 10)

        XCTAssertEqual(mmimdb.labelKind, .multiLabel)
        XCTAssertEqual(mmimdb.labelKind.metric, "weighted F1")
        XCTAssertEqual(mmimdb.inputs.map(\.role), [.searched, .fixed])
        XCTAssertEqual(mmimdb.fixedInputs.map(\.backbone), ["maxout-mmimdb-text"])
        XCTAssertEqual(mmimdb.splits.validation, "dev")
        XCTAssertEqual([avmnist.batchSize, mmimdb.batchSize, try registry.pipelines.make("memes").batchSize], [256, 16, 64],
                       "the original's loader batch sizes (SPEC-hardware-and-data: batch_size / batch_size_per_gpu)")
        XCTAssertTrue(mmimdb.searchedInputs[0].streamed, "MM-IMDB posters are decoded batch by batch")
        XCTAssertEqual(mmimdb.classNames.count, 23)
        XCTAssertEqual(mmimdb.configNames, ["imdb"])

        XCTAssertEqual(memes.inputs.map(\.fusionFeatures), [7, 2])
        XCTAssertEqual(memes.splits.validation, "val")
        XCTAssertEqual(memes.defaultHardware, "tx2")
        XCTAssertEqual(memes.macroSpace, .memes)
        XCTAssertEqual(memes.configNames, ["memes_politics"])
        XCTAssertThrowsError(try registry.pipelines.make("cifar")) { XCTAssertTrue("\($0)".contains("--dataset"), "\($0)") }
    }

    func testOpeningAFolderOfAnotherPipelineNamesWhatIsMissing() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-pipelines-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("images"), withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let problems = try registry().pipelines.make("mmimdb").list(root: folder).problems
        XCTAssertTrue(problems.contains { "\($0)".contains("mmimdb_split.json") }, "\(problems)")
        let memes = try registry().pipelines.make("memes").list(root: folder).problems
        XCTAssertTrue(memes.contains { "\($0)".contains("annotations/train.jsonl") }, "\(memes)")
    }

    /// Each input's preprocessing comes from the pipeline's options and is exactly the original's of that dataset
    /// (what the image and text modalities applied by dataset name before); the modality plugins know no dataset.
    func testPipelinesGiveTheirModalitiesTheOriginalsPreprocessing() throws {
        let registry = registry()
        func options(_ pipeline: String, _ modality: String) throws -> ModalityOptions {
            try XCTUnwrap(try registry.pipelines.make(pipeline).inputs.first { $0.modality == modality }?.options)
        }
        XCTAssertEqual(try ImagePreprocessing(options: try options("avmnist", "image")),
                       ImagePreprocessing(colorModel: .gray, geometry: .unchanged, normalization: try ChannelNormalization(mean: [0.5], std: [0.5])))
        XCTAssertEqual(try ImagePreprocessing(options: try options("mmimdb", "image")),
                       ImagePreprocessing(colorModel: .rgb, geometry: .roundedTensorBilinear(size: 224), normalization: nil))
        XCTAssertEqual(try ImagePreprocessing(options: try options("memes", "image")),
                       ImagePreprocessing(colorModel: .rgb, geometry: .shorterSideAndCenterCrop(size: 112, filter: .bicubic),
                                          normalization: try ChannelNormalization(mean: [0.48145466, 0.4578275, 0.40821073],
                                                                                  std: [0.26862954, 0.26130258, 0.27577711])))
        let text = TextModality()
        XCTAssertEqual(try text.load(text: "Hello, world!", options: try options("memes", "text")).shape, [77])
        XCTAssertThrowsError(try text.load(text: "plot", options: try options("mmimdb", "text")))
        let feature = Self.fixtures.appendingPathComponent("mmimdb/train/text_000000.npy")
        XCTAssertEqual(try text.load(feature, options: try options("mmimdb", "text")).shape, [300])
        XCTAssertEqual(try options("avmnist", "audio"), [:], "the audio modality has one preprocessing")
    }

    /// The backbones `hnas lut estimate`/`profile` and a host-priced search cost: the searched inputs' ones.
    func testCostedBackbonesAreTheSearchedInputs() throws {
        var registry = registry()
        registerStockBackbones(into: &registry)
        let names = try ["avmnist", "mmimdb", "memes"].map { name in
            try registry.pipelines.make(name).costedBackbones(registry: registry).map { "\($0.modality):\($0.backbone.name)" }
        }
        XCTAssertEqual(names, [["image:ofa-mbv3-avmnist-image", "audio:ofa-mbv3-avmnist-audio"], ["image:ofa-mbv3-mmimdb-image"],
                               ["image:ofa-mbv3-memes-image"]])
        XCTAssertThrowsError(try registry.pipelines.make("avmnist").datasetInput("text", registry: registry)) { error in
            XCTAssertTrue("\(error)".contains("the avmnist pipeline has no input 'text' (it has image, audio)"), "\(error)")
        }
    }

    /// Only MM-IMDB has a prepare step (`hnas data prepare`), found by asking the pipeline.
    func testOnlyMMIMDBIsPreparable() throws {
        let registry = registry()
        XCTAssertEqual(registry.pipelines.names.filter { (try? registry.pipelines.make($0)) is any PreparablePipeline }, ["mmimdb"])
    }

    /// What `hnas train-supernet`/`eval-subnet --dataset mmimdb` and the search read: the posters decoded batch by
    /// batch, the small text features held.
    func testMMIMDBPostersAreStreamedAndTextFeaturesHeld() throws {
        var registry = registry()
        ModalityImage.register(into: &registry)
        ModalityText.register(into: &registry)
        let mmimdb = try registry.pipelines.make("mmimdb")
        let data = try mmimdb.open(root: Self.fixtures.appendingPathComponent("mmimdb"), registry: registry)
        let posters = try InputSplit(dataset: data, split: mmimdb.splits.train, input: try mmimdb.input("image"), threads: 1)
        XCTAssertTrue(posters.isStreamed)
        XCTAssertEqual(posters.count, 8)
        XCTAssertEqual(posters.sampleShape, [3, 224, 224])
        XCTAssertEqual(posters.multiHot?.shape, [8, 23])
        let text = try InputSplit(dataset: data, split: mmimdb.splits.train, input: try mmimdb.input("text"), threads: 1)
        XCTAssertFalse(text.isStreamed)
        XCTAssertEqual(text.sampleShape, [300])
    }

    private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
}

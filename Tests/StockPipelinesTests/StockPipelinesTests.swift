import Foundation
import HNASKit
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
}

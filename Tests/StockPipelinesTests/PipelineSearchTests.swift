import Foundation
import HardwareTX2
import HNASKit
import HNASSearch
import ModalityImage
import ModalityText
import SearchDARTS
import SearchEvolution
import StockPipelines
import XCTest

/// The stock image modality's preprocessing (MM-IMDB: 224 × 224, Memes: 112 × 112), then shrunk 16 times per
/// side by average pooling, so the OFA supernets of a debug-build test see 14 × 14 / 7 × 7 inputs and a whole
/// search takes seconds. Registered under `image`, it replaces the stock modality, as a user plugin may.
private struct ShrunkImageModality: Modality {
    let stock = ImageModality()
    let name = "image"
    func load(_ url: URL, options: ModalityOptions) throws -> Tensor {
        let x = try stock.load(url, options: options)
        let pooled = try x.reshaped([1] + x.shape).adaptiveAveragePool(outHeight: x.shape[1] / 16, outWidth: x.shape[2] / 16)
        return try pooled.reshaped(Array(pooled.shape.dropFirst()))
    }
}

/// `mmimdb` and `memes` searches end to end through HNASSearch on the committed fixtures
/// (Scripts/make_mmimdb_fixture.py: 8 train / 4 dev / 4 test; Scripts/make_memes_fixture.py: 9 / 3 / 3) with a
/// tiny budget: backbones trained on demand for one epoch, a narrow one-epoch fusion search.
final class PipelineSearchTests: XCTestCase {
    private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    private func registry() -> Registry {
        var registry = Registry()
        registerStockBackbones(into: &registry)
        ModalityText.register(into: &registry)
        SearchEvolution.register(into: &registry)
        SearchDARTS.register(into: &registry)
        HardwareTX2.register(into: &registry)
        StockPipelines.register(into: &registry)
        registry.modalities.register("image", summary: "stock preprocessing, shrunk 16× for tests") { ShrunkImageModality() }
        return registry
    }

    private func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    private func tinyConfig(_ dataset: String, weights: URL, generations: Int = 1) throws -> SearchRunConfig {
        var config = SearchRunConfig(pipeline: try registry().pipelines.make(dataset), data: Self.fixtures.appendingPathComponent(dataset).path,
                                     weightsDir: weights.path)
        config.settings.parentPopulationSize = 2
        config.settings.generations = generations
        config.fusionOptions.epochs = 1
        config.fusionOptions.retrainEpochs = 1
        config.fusionOptions.channels = 8
        config.fusionOptions.length = 4
        config.fusionOptions.batchSize = 4
        config.supernetEpochs = 1
        config.fixedEpochs = 1
        config.calibrationBatches = 1
        return config
    }

    /// Runs `config` in `folder` (a fresh run, which writes its `config.json`, unless `resume`), returning the
    /// final state and the log lines.
    private func run(_ config: SearchRunConfig, in folder: URL, resume: Bool = false) throws -> (SearchState, [String]) {
        let directory = SearchRunDirectory(root: folder)
        let runner = SearchRunner(config: config, directory: directory, registry: registry())
        var lines: [String] = []
        runner.echo = { lines.append($0) }
        return (try runner.run(resume: resume), lines)
    }

    func testMMIMDBSearchIsMultiLabelOnItsDevSplitAndResumes() throws {
        let folder = try temporaryFolder()
        let weights = folder.appendingPathComponent("weights")
        let config = try tinyConfig("mmimdb", weights: weights, generations: 2)
        let first = folder.appendingPathComponent("first")
        let (state, lines) = try run(config, in: first)
        let log = lines.joined(separator: "\n")
        XCTAssertTrue(state.isFinished)
        XCTAssertTrue(log.contains("data: 8 train / 4 validation (dev) / 4 test samples, inputs image [3, 14, 14] streamed, text [300]"), log)
        XCTAssertTrue(log.contains("text network: no weights at"), "the Maxout network is trained on demand: \(log)")
        // Both networks trained on the training split, multi-label (BCE; weighted F1 per epoch).
        for modality in ["image", "text"] {
            let metadata = try SafeTensors.read(from: weights.appendingPathComponent("mmimdb-\(modality).safetensors")).metadata
            XCTAssertEqual(metadata["validation_split"], "dev", modality)
            XCTAssertEqual(metadata["training_samples"], "8", modality)
        }
        let csv = try String(contentsOf: first.appendingPathComponent("pareto.csv"), encoding: .utf8)
        XCTAssertTrue(csv.hasPrefix("id,generation,acc,test_acc,latency,energy,cells,nodes,image_config,genotype\n"), csv)
        for result in state.paretoFront.map({ state.archive[$0] }) {
            XCTAssertTrue((0...100).contains(result.accuracy))
            XCTAssertEqual(result.backbones.count, 1, "only the image backbone is searched")
            let best = first.appendingPathComponent("best/\(result.id)")
            let architecture = try Architecture.load(path: best.appendingPathComponent("arch.json").path)
            XCTAssertEqual(architecture.dataset, "mmimdb")
            XCTAssertEqual(architecture.backbones["image"], result.backbones[0])
            let dot = try String(contentsOf: best.appendingPathComponent("fusion.dot"), encoding: .utf8)
            XCTAssertTrue(dot.contains("Text"), "the text network's two features are fusion inputs: \(dot)")
            // The fixed text network is saved as used: the trained weights.
            let text = try SafeTensors.read(from: best.appendingPathComponent("text.safetensors"))
            let trained = try SafeTensors.read(from: weights.appendingPathComponent("mmimdb-text.safetensors"))
            XCTAssertEqual(text.tensors["hid2val.weight"]?.shape, [23, 256])
            XCTAssertEqual(text.tensors["hid2val.weight"], trained.tensors["hid2val.weight"])
            XCTAssertNotNil(try SafeTensors.read(from: best.appendingPathComponent("image.safetensors")).tensors["classifier.linear.weight"])
            try assertModelDirectoryReproducesItsMetric(best)
        }

        // The same search in another process, killed with SIGKILL once its first generation file is written, then
        // resumed here: the uninterrupted run's front and results.
        let second = folder.appendingPathComponent("second")
        try runUntilKilledAfterFirstGeneration(out: second, weights: weights)
        let (resumed, resumedLines) = try run(try SearchRunDirectory(root: second).readConfig(), in: second, resume: true)
        XCTAssertEqual(resumed, state)
        XCTAssertTrue(resumedLines.contains("resuming after generation 1 of 2"), resumedLines.joined(separator: "\n"))
        XCTAssertEqual(try String(contentsOf: second.appendingPathComponent("pareto.csv"), encoding: .utf8), csv)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: second.appendingPathComponent("best").path).sorted(),
                       try FileManager.default.contentsOfDirectory(atPath: first.appendingPathComponent("best").path).sorted())
    }

    /// The environment variables that make `testChildSearchKilledByTheParent` run (the run folder and the weights folder).
    private static let killedRunVariable = "HNAS_TEST_KILLED_RUN", killedWeightsVariable = "HNAS_TEST_KILLED_WEIGHTS"

    /// Starts this test binary again running only `testChildSearchKilledByTheParent` — the tiny two-generation
    /// MM-IMDB search into `out` with the backbone weights of `weights` —, waits for its `generations/000.json`, and
    /// kills it with SIGKILL in its second generation.
    private func runUntilKilledAfterFirstGeneration(out: URL, weights: URL) throws {
        #if os(Linux)
        let child = Process()
        child.executableURL = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        child.arguments = ["StockPipelinesTests.PipelineSearchTests/testChildSearchKilledByTheParent"]
        child.environment = ProcessInfo.processInfo.environment.merging([Self.killedRunVariable: out.path,
                                                                         Self.killedWeightsVariable: weights.path]) { $1 }
        let output = out.deletingLastPathComponent().appendingPathComponent("child-output.txt")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }
        child.standardOutput = handle
        child.standardError = handle
        try child.run()
        let generation = out.appendingPathComponent("generations/000.json")
        let deadline = Date().addingTimeInterval(300)
        while child.isRunning, !FileManager.default.fileExists(atPath: generation.path), Date() < deadline { usleep(5_000) }
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        let printed = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        XCTAssertEqual(child.terminationReason, .uncaughtSignal, "killed, not finished: \(printed)")
        XCTAssertEqual(child.terminationStatus, SIGKILL, printed)
        XCTAssertTrue(FileManager.default.fileExists(atPath: generation.path), printed)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("generations/001.json").path),
                       "killed during its second generation")
        #else
        throw XCTSkip("re-running the test binary as a child process is done on Linux only")
        #endif
    }

    /// The process `testMMIMDBSearchIsMultiLabelOnItsDevSplitAndResumes` kills: its tiny search, fresh, into the
    /// folder the parent names. Skipped unless that test started this process.
    func testChildSearchKilledByTheParent() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let out = environment[Self.killedRunVariable], let weights = environment[Self.killedWeightsVariable] else {
            throw XCTSkip("the child process of testMMIMDBSearchIsMultiLabelOnItsDevSplitAndResumes; runs only when started by it")
        }
        _ = try run(try tinyConfig("mmimdb", weights: URL(fileURLWithPath: weights), generations: 2), in: URL(fileURLWithPath: out))
        XCTFail("the parent kills this search before it ends")
    }

    /// A front member's model directory (model.json, fusion.safetensors, the backbones), rebuilt and run on the
    /// test samples' files as `hnas predict` runs them, gives the weighted F1 model.json records; its predictions
    /// are the labels whose sigmoid exceeds 0.3.
    private func assertModelDirectoryReproducesItsMetric(_ best: URL) throws {
        let registry = registry()
        let model = try MultimodalModel(directory: best, registry: registry)
        XCTAssertTrue(model.manifest.multiLabel)
        XCTAssertEqual(model.manifest.threshold, 0.3)
        XCTAssertEqual(model.manifest.classNames, MMIMDB.genres)
        XCTAssertEqual(model.manifest.inputs.map(\.modality), ["image", "text"])
        let test = Self.fixtures.appendingPathComponent("mmimdb/test")
        let samples = 0..<4
        let inputs = try ["image", "text"].map { modality in
            try Tensor.concat(try samples.map { try model.input(modality, value: test.appendingPathComponent(MMIMDB.fileName(modality, index: $0)).path,
                                                                 registry: registry) }, axis: 0)
        }
        let targets = try Tensor.concat(try samples.map { k in
            let label = try NPYFile(contentsOf: test.appendingPathComponent(MMIMDB.fileName("label", index: k))).tensor()
            return try label.reshaped([1, 23])
        }, axis: 0)
        let logits = try model.logits(inputs)
        XCTAssertEqual(try SubnetEvaluation.weightedF1(logits: logits, targets: targets), try XCTUnwrap(model.manifest.metric), accuracy: 1e-9)
        let first = try model.predict(inputs.map { try $0.slice(axis: 0, 0..<1) })[0]
        XCTAssertEqual(Set(first.labels), Set(first.probabilities.filter { $0.probability > 0.3 }.map(\.name)))
        XCTAssertEqual(first.probabilities.count, 23)
    }

    func testMemesSearchSelectsOnValWithGivenTextWeights() throws {
        let folder = try temporaryFolder()
        let text = folder.appendingPathComponent("maxout-memes-text.safetensors")
        let maxout = try MaxoutBackbone.memes.makeNetwork(seed: 5)
        try maxout.save(to: text, metadata: [:])
        var config = try tinyConfig("memes", weights: folder.appendingPathComponent("weights"))
        config.fixedWeights = ["text": text.path]
        XCTAssertEqual(config.hardware, "tx2")
        let out = folder.appendingPathComponent("run")
        let (state, lines) = try run(config, in: out)
        let log = lines.joined(separator: "\n")
        XCTAssertTrue(log.contains("data: 9 train / 3 validation (val) / 3 test samples, inputs image [3, 7, 7], text [77]"), log)
        XCTAssertTrue(log.contains("text network: loading \(text.path)"), log)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("weights/memes-text.safetensors").path),
                       "given text weights are not trained again")
        let result = state.archive[try XCTUnwrap(state.paretoFront.first)]
        let best = out.appendingPathComponent("best/\(result.id)")
        XCTAssertEqual(try SafeTensors.read(from: best.appendingPathComponent("text.safetensors")).tensors["op_list.0.lin.weight"],
                       try SafeTensors.read(from: text).tensors["op_list.0.lin.weight"])
        // Memes feeds 7 image features and 2 text features to the fusion network.
        let dot = try String(contentsOf: best.appendingPathComponent("fusion.dot"), encoding: .utf8)
        XCTAssertTrue(dot.contains("Image_7") && dot.contains("Text_2") && !dot.contains("Image_8"), dot)
    }
}

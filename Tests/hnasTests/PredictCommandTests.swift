import Foundation
import HNASKit
import HNASSearch
import XCTest
@testable import hnas

/// Whole-model artifacts end to end on the Memes fixture (Scripts/make_memes_fixture.py): a tiny search with
/// untrained backbones writes complete `best/<id>/` model directories; `hnas predict` on a test sample returns
/// what the model's evaluation gave for it; bad model directories and bad inputs are one-line errors.
final class PredictCommandTests: XCTestCase {
    private static let memes = "Tests/StockPipelinesTests/Fixtures/memes"

    /// The search both tests start from (run once for the class), in a folder removed afterwards.
    private static var shared: (folder: URL, data: SearchData, best: URL)?

    override class func tearDown() {
        if let folder = shared?.folder { try? FileManager.default.removeItem(at: folder) }
        shared = nil
        super.tearDown()
    }

    /// The shared search: its folder, data and a front member's model directory.
    private func search() throws -> (folder: URL, data: SearchData, best: URL) {
        if let shared = Self.shared { return shared }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-predict-\(UUID().uuidString)")
        let (data, best) = try Self.search(into: folder)
        Self.shared = (folder, data, best)
        return (folder, data, best)
    }

    /// A one-generation Memes search (population 2, narrow fusion network) on the fixture into `folder`, with the
    /// stock backbones at their initial weights (saved in `folder/weights`); returns the run's data and a front
    /// member's model directory.
    private static func search(into folder: URL) throws -> (data: SearchData, best: URL) {
        let registry = makeRegistry()
        let pipeline = try registry.pipelines.make("memes")
        var config = SearchRunConfig(pipeline: pipeline, data: HNASProcess.root.appendingPathComponent(Self.memes).path,
                                     weightsDir: folder.appendingPathComponent("weights").path)
        config.settings.parentPopulationSize = 2
        config.settings.generations = 1
        config.fusionOptions.epochs = 1
        config.fusionOptions.retrainEpochs = 1
        config.fusionOptions.channels = 8
        config.fusionOptions.length = 4
        config.fusionOptions.batchSize = 4
        config.calibrationBatches = 1
        let dataset = try pipeline.open(root: URL(fileURLWithPath: config.data), registry: registry)
        let data = try SearchData.load(dataset, pipeline: pipeline, validationFraction: config.fusionOptions.selectionHoldout, threads: 2)
        let networks = try pipeline.inputs.map { try registry.backbones.make($0.backbone).makeNetwork(seed: 1) }
        // Saved where `hnas best --weights-dir` finds them, as a search that trained them would have.
        try FileManager.default.createDirectory(atPath: config.weightsDir, withIntermediateDirectories: true)
        for (network, input) in zip(networks, pipeline.inputs) {
            try network.save(to: URL(fileURLWithPath: config.weightsDir).appendingPathComponent(
                BackboneWeights.fileName(dataset: "memes", modality: input.modality)), metadata: data.trainingPartMetadata)
        }
        let directory = SearchRunDirectory(root: folder.appendingPathComponent("run"))
        try directory.writeConfig(config)
        let runner = SearchRunner(config: config, directory: directory, registry: registry)
        runner.echo = { _ in }
        let state = try runner.run(data: data, networks: networks,
                                   options: SupernetSearchEvaluator.Options(pipeline: pipeline, fusion: config.fusionOptions), resume: false)
        let id = state.archive[try XCTUnwrap(state.paretoFront.first)].id
        return (data, directory.root.appendingPathComponent("best/\(id)"))
    }

    /// `hnas best` on a front member's arch.json: with its genotype (`--genotype-only`) and with a new fusion
    /// micro-search; the model directory it writes reproduces the test metric it prints.
    func testBestRetrainsAnArchitectureIntoAModelDirectory() throws {
        let (shared, data, best) = try search()
        let folder = try HNASProcess.temporaryFolder(for: self)
        let arch = best.appendingPathComponent("arch.json").path
        let flags = ["best", "--dataset", "memes", "--arch", arch, "--data", Self.memes, "--weights-dir", shared.appendingPathComponent("weights").path,
                     "--fusion-epochs", "1", "--channels", "8", "--length", "4", "--threads", "2"]
        let given = folder.appendingPathComponent("given")
        let run = try HNASProcess.run(flags + ["--genotype-only", "--out", given.path, "--json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let report = try JSONDecoder().decode(BestModelReport.self, from: Data(run.stdout.utf8))
        XCTAssertTrue(report.genotypeGiven)
        XCTAssertEqual(try Architecture.load(path: given.appendingPathComponent("arch.json").path).fusion,
                       try Architecture.load(path: arch).fusion, "the given genotype is kept")
        XCTAssertEqual(report.metricName, "top-1 accuracy")
        XCTAssertGreaterThan(report.cost.latencyMs, 0)
        let model = try MultimodalModel(directory: given, registry: makeRegistry())
        let rows = Array(0..<data.test[0].count)
        let logits = try model.logits(try data.test.map { try $0.inputs(rows) })
        XCTAssertEqual(try SupernetSearchEvaluator.metric(logits, data.test[0].fusionLabels(classes: data.classes)), report.metric, accuracy: 1e-9)
        XCTAssertEqual(model.manifest.metric, report.metric)

        let searched = folder.appendingPathComponent("searched")
        let again = try HNASProcess.run(flags + ["--out", searched.path])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("memes: top-1 accuracy") && again.stdout.contains("latency"), again.stdout)
        XCTAssertNoThrow(try ModelManifest.read(directory: searched))

        // Bad input: an existing --out, an architecture without its fusion part; nothing is written.
        assertOneErrorLine(try HNASProcess.run(flags + ["--out", given.path]), containing: ["will not overwrite", given.path])
        let noFusion = folder.appendingPathComponent("no-fusion.json")
        try Data("{\"backbones\": {}}".utf8).write(to: noFusion)
        let refused = folder.appendingPathComponent("refused")
        assertOneErrorLine(try HNASProcess.run(["best", "--dataset", "memes", "--arch", noFusion.path, "--data", Self.memes,
                                                "--out", refused.path]), containing: ["fusion"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: refused.path))
    }

    func testPredictReturnsWhatTheModelsEvaluationGaveForATestSample() throws {
        let (_, data, shared) = try search()
        // A copy: this test removes parts of it.
        let best = try HNASProcess.temporaryFolder(for: self).appendingPathComponent("model")
        try FileManager.default.copyItem(at: shared, to: best)
        for name in ["model.json", "arch.json", "image.safetensors", "text.safetensors", "fusion.safetensors", "fusion.dot"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: best.appendingPathComponent(name).path), name)
        }

        // The rebuilt model reproduces the test metric recorded in model.json over the whole test split.
        let model = try MultimodalModel(directory: best, registry: makeRegistry())
        XCTAssertEqual(model.manifest.dataset, "memes")
        XCTAssertEqual(model.manifest.inputs.map(\.modality), ["image", "text"])
        XCTAssertEqual(model.manifest.classNames, Memes.classNames(extended: false))
        let rows = Array(0..<data.test[0].count)
        let logits = try model.logits(try data.test.map { try $0.inputs(rows) })
        let accuracy = try SupernetSearchEvaluator.metric(logits, data.test[0].fusionLabels(classes: data.classes))
        XCTAssertEqual(accuracy, try XCTUnwrap(model.manifest.metric), accuracy: 1e-9)
        let expected = try model.predict(try data.test.map { try $0.inputs([0]) })[0]

        // `hnas predict` on test sample 0 (te0.png, its text inline) prints that prediction.
        let image = HNASProcess.root.appendingPathComponent("\(Self.memes)/images/te0.png").path
        let run = try HNASProcess.run(["predict", "--model", best.path, "--input", "image=\(image)", "--input", "text=vote tax", "--json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let printed = try JSONDecoder().decode(MultimodalModel.Prediction.self, from: Data(run.stdout.utf8))
        XCTAssertEqual(printed.labels, expected.labels)
        XCTAssertEqual(printed.probabilities.map(\.name), expected.probabilities.map(\.name))
        for (a, b) in zip(printed.probabilities, expected.probabilities) { XCTAssertEqual(a.probability, b.probability, accuracy: 1e-6) }
        XCTAssertEqual(printed.probabilities.count, 3)
        let plain = try HNASProcess.run(["predict", "--model", best.path, "--input", "text=vote tax", "--input", "image=\(image)"])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertEqual(plain.lines.first, "class: \(expected.labels[0])")
        XCTAssertEqual(plain.lines.count, 4, plain.stdout)

        // Bad inputs: one line each, naming the problem.
        assertOneErrorLine(try HNASProcess.run(["predict", "--model", best.path, "--input", "image=\(image)"]),
                           containing: ["--input", "missing text="])
        assertOneErrorLine(try HNASProcess.run(["predict", "--model", best.path, "--input", "image=\(image)", "--input", "text=x",
                                                "--input", "audio=a.wav"]), containing: ["--input audio", "no 'audio' input"])
        let notAnImage = HNASProcess.root.appendingPathComponent("\(Self.memes)/annotations/test.jsonl").path
        assertOneErrorLine(try HNASProcess.run(["predict", "--model", best.path, "--input", "image=\(notAnImage)", "--input", "text=x"]),
                           containing: ["test.jsonl"])
        assertOneErrorLine(try HNASProcess.run(["predict", "--model", best.path, "--input", "image=/no/such.png", "--input", "text=x"]),
                           containing: ["/no/such.png", "no such file"])
        assertOneErrorLine(try HNASProcess.run(["predict", "--model", best.path, "--input", "image"]), containing: ["MODALITY=VALUE"])

        // A model directory missing a part names it.
        try FileManager.default.removeItem(at: best.appendingPathComponent("fusion.safetensors"))
        assertOneErrorLine(try HNASProcess.run(["predict", "--model", best.path, "--input", "image=\(image)", "--input", "text=x"]),
                           containing: ["incomplete model directory", "fusion.safetensors"])
        try FileManager.default.removeItem(at: best.appendingPathComponent("text.safetensors"))
        assertOneErrorLine(try HNASProcess.run(["predict", "--model", best.path, "--input", "image=\(image)", "--input", "text=x"]),
                           containing: ["text.safetensors, fusion.safetensors"])
    }
}

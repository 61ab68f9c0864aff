import XCTest
import HNASKit
import SearchDARTS
import SearchEvolution
import HardwareTX2
@testable import HNASSearch

/// `hnas search` on a tiny synthetic AV-MNIST-shaped setting: untrained supernets, a few random samples,
/// population 2, one fusion epoch with a narrow fusion network.
final class SearchRunnerTests: XCTestCase {
    /// The plugins these tests run with: evolution, the fusion searches and the device tables.
    private func makeRegistry() -> Registry {
        var registry = Registry()
        SearchEvolution.register(into: &registry)
        SearchDARTS.register(into: &registry)
        HardwareTX2.register(into: &registry)
        return registry
    }

    private func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-search-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// Random image (1×28×28) and audio (1×20×20) samples with labels cycling through 10 classes; the validation
    /// split counts as carved with `fraction` (nil: no validation split, protocol `original`).
    private func syntheticData(train: Int = 20, validation: Int = 10, test: Int = 10, fraction: Double? = 0.2) throws -> SearchData {
        var generator = SeededGenerator(seed: 3)
        func split(_ n: Int) throws -> [InputSplit] {
            let labels = (0..<n).map { $0 % 10 }
            return try [[1, 28, 28], [1, 20, 20]].map { shape in
                let count = n * shape.reduce(1, *)
                let x = try Tensor(shape: [n] + shape, scalars: (0..<count).map { _ in Float(generator.normal()) })
                return InputSplit(try TensorDataset(inputs: x, labels: labels))
            }
        }
        return SearchData(inputs: ["image", "audio"], classes: 10, train: try split(train),
                          validation: fraction == nil ? nil : try split(validation), test: try split(test),
                          validationSource: fraction == nil ? nil : "carved", validationFraction: fraction)
    }

    private func supernets() throws -> [OFAMobileNetV3] {
        try ["image", "audio"].enumerated().map { m, modality in
            OFAMobileNetV3(space: try StockSupernet.space(dataset: "avmnist", modality: modality), seed: UInt64(m))
        }
    }

    /// The supernets as the search runs them.
    private func networks() throws -> [any BackboneNetwork] {
        try supernets().map { OFABackboneNetwork(network: $0, backbone: OFABackbone(name: "test", space: $0.space)) }
    }

    private func options(_ fusion: FusionSearchOptions) -> SupernetSearchEvaluator.Options {
        SupernetSearchEvaluator.Options(dataset: "avmnist", fusion: fusion, modalityNames: ["Image", "Audio"], featureCounts: [4, 4])
    }

    /// A narrow, one-epoch fusion search so a candidate costs well under a second in debug.
    private func tinyConfig(out: URL, fusion: String = "random") -> SearchRunConfig {
        var config = SearchRunConfig(data: "unused", weightsDir: out.appendingPathComponent("weights").path)
        config.fusion = fusion
        config.settings.parentPopulationSize = 2
        config.settings.generations = 2
        config.fusionOptions.epochs = 1
        config.fusionOptions.retrainEpochs = 1
        config.fusionOptions.channels = 8
        config.fusionOptions.length = 4
        config.fusionOptions.batchSize = 8
        config.calibrationBatches = 2
        return config
    }

    private func evaluator(fusion: String) throws -> (SupernetSearchEvaluator, any HardwareModel) {
        let registry = makeRegistry()
        let hardware = try registry.hardwareModels.make("tx2")
        var options = options(tinyConfig(out: URL(fileURLWithPath: "/tmp")).fusionOptions)
        options.calibrationBatches = 2
        let evaluator = try SupernetSearchEvaluator(networks: try networks(), data: try syntheticData(), hardware: hardware,
                                                    fusionSearch: try registry.fusionSearches.make(fusion), options: options)
        return (evaluator, hardware)
    }

    /// Weights trained on the whole training split (train-supernet, `original`) are used under `sound` with a
    /// warning; weights a `sound` run trained on its training part are reused silently.
    func testWeightsThatMaySeeTheValidationSplitAreWarnedAbout() throws {
        let folder = try temporaryFolder()
        let url = folder.appendingPathComponent(BackboneWeights.fileName(dataset: "avmnist", modality: "audio"))
        func provide(_ fraction: Double?) throws -> [String] {
            var lines: [String] = []
            let network = try OFABackbone(name: "audio", space: .avmnistAudio).makeNetwork(seed: 1)
            _ = try BackboneWeights.provide(network, dataset: "avmnist", input: 1, data: try syntheticData(fraction: fraction), directory: folder,
                                            file: nil, epochs: 1, seed: 1, log: { lines.append($0) }, warn: { lines.append($0) })
            return lines.filter { $0.hasPrefix("warning:") }
        }
        // Trained here by a sound run (20 training samples after a 0.2 hold-out), then reused: no warning.
        XCTAssertEqual(try provide(0.2), [])
        XCTAssertEqual(try SafeTensors.read(from: url).metadata["validation_fraction"], "0.2")
        XCTAssertEqual(try provide(0.2), [])
        XCTAssertEqual(try provide(0.3).count, 1, "another hold-out: some validation samples were trained on")
        // A checkpoint beside finished weights (as `hnas train-supernet --out <dir>/avmnist-audio.safetensors` leaves
        // one) does not restart training: the weights are loaded.
        let checkpoint = folder.appendingPathComponent("avmnist-audio.checkpoint.safetensors")
        try Data("not read".utf8).write(to: checkpoint)
        let before = try Data(contentsOf: url)
        XCTAssertEqual(try provide(0.2), [])
        XCTAssertEqual(try Data(contentsOf: url), before, "loaded, not trained again")
        try FileManager.default.removeItem(at: checkpoint)

        let network = try supernets()[1]
        try network.save(to: url, metadata: ["training_samples": "25"])  // as `hnas train-supernet` writes them
        let unknown = try provide(0.2)
        XCTAssertEqual(unknown.count, 1)
        XCTAssertTrue(unknown[0].contains(url.path) && unknown[0].contains("hnas train-supernet") && unknown[0].contains("--weights-dir"),
                      unknown[0])
        try network.save(to: url, metadata: ["training_samples": "25", "validation_fraction": "none", "validation_seed": "42"])
        XCTAssertTrue(try provide(0.2).first?.contains("--protocol original") == true)
        XCTAssertEqual(try provide(nil), [], "no validation split under original")
    }

    func testBackboneObjectivesMatchAnIndependentEvaluation() throws {
        let (evaluator, hardware) = try evaluator(fusion: "random")
        var rng = SeededGenerator(seed: 5)
        let config = evaluator.backbones[1].sample(.random, using: &rng)
        let first = try evaluator.evaluateBackbone(config, modality: 1, seed: 1)
        XCTAssertEqual(try evaluator.evaluateBackbone(config, modality: 1, seed: 99), first, "a config scores the same whatever the seed")

        // The same recalibration and scoring, done by hand on the supernet of the same seed.
        let supernet = try supernets()[1]
        let data = try syntheticData()
        var generator = SeededGenerator(seed: 42)
        let (_, accuracy) = try SubnetEvaluation.evaluate(supernet, config: config, train: data.train[1].materialized(),
                                                          test: data.validation![1].materialized(),
                                                          generator: &generator, calibrationBatches: 2)
        XCTAssertEqual(first.accuracy, accuracy, accuracy: 1e-9)
        XCTAssertTrue((0...100).contains(first.accuracy))
        let cost = try hardware.backboneCost(try evaluator.backbones[1].layerDescriptors(config), dataset: "avmnist").total
        XCTAssertEqual(first.cost, cost)
        XCTAssertGreaterThan(cost.latencyMs, 0)

        // The largest subnet costs more than the smallest.
        let small = try evaluator.evaluateBackbone(evaluator.backbones[0].sample(.min, using: &rng), modality: 0, seed: 0)
        let large = try evaluator.evaluateBackbone(evaluator.backbones[0].sample(.max, using: &rng), modality: 0, seed: 0)
        XCTAssertLessThan(small.cost.latencyMs, large.cost.latencyMs)
        XCTAssertThrowsError(try evaluator.evaluateBackbone(BackboneConfig(["ks": [9]]), modality: 0, seed: 0))
    }

    func testFusionObjectivesAreConsistentAndReproducible() throws {
        let (evaluator, hardware) = try evaluator(fusion: "random")
        var rng = SeededGenerator(seed: 8)
        let configs = evaluator.backbones.map { $0.sample(.random, using: &rng) }
        let macro = FusionMacro(cells: 2, nodes: 1)
        let result = try evaluator.evaluateFusion(configs, macro: macro, seed: 11)
        XCTAssertTrue((0...100).contains(result.accuracy))
        XCTAssertNotNil(result.testAccuracy)
        let genotype = try FusionGenotype(pythonRepr: result.genotype)
        XCTAssertEqual(genotype.steps.count, 2)
        XCTAssertEqual(result.fusionCost, try hardware.fusionCost(operators: genotype.operators).total)
        XCTAssertEqual(try evaluator.evaluateFusion(configs, macro: macro, seed: 11), result, "same seed, same result")
        XCTAssertThrowsError(try evaluator.evaluateFusion([configs[0]], macro: macro, seed: 11))
    }

    private func run(_ config: SearchRunConfig, in folder: URL, resume: Bool = false) throws -> SearchState {
        let directory = SearchRunDirectory(root: folder)
        if !resume { try directory.writeConfig(config) }
        let runner = SearchRunner(config: config, directory: directory, registry: makeRegistry())
        runner.echo = { _ in }
        return try runner.run(data: try syntheticData(), networks: try networks(), options: options(config.fusionOptions), resume: resume)
    }

    func testRunDirectoryIsCompleteAndResumeGivesTheSameState() throws {
        let folder = try temporaryFolder()
        let config = tinyConfig(out: folder, fusion: "darts")
        let state = try run(config, in: folder)
        XCTAssertTrue(state.isFinished)
        XCTAssertEqual(state.archive.count, 2, "one fusion per generation with P = 2, r_in = 0.25")

        let manager = FileManager.default
        for name in ["config.json", "generations/000.json", "generations/001.json", "pareto.csv", "pareto.svg", "log.txt"] {
            XCTAssertTrue(manager.fileExists(atPath: folder.appendingPathComponent(name).path), name)
        }
        let leftovers = try manager.subpathsOfDirectory(atPath: folder.path).filter { $0.contains("tmp") || $0.hasPrefix(".") }
        XCTAssertEqual(leftovers, [], "atomic writes leave no temporary files")

        // pareto.csv works with `hnas pareto` as is and lists exactly the archive's front.
        let csv = try String(contentsOf: folder.appendingPathComponent("pareto.csv"), encoding: .utf8)
        let table = try ResultsTable(csv: csv, source: "pareto.csv")
        XCTAssertEqual(table.rows.count, state.paretoFront.count)
        let report = try ParetoReport(table: table, objectives: ObjectiveSpec.searchDefaults)
        XCTAssertEqual(report.fronts.first?.count, state.paretoFront.count, "every row of pareto.csv is non-dominated")
        let accuracy = table.header.firstIndex(of: "acc")!
        XCTAssertEqual(Set(table.rows.map { Double($0[accuracy])! }),
                       Set(state.paretoFront.map { Double(String(format: "%.6g", state.archive[$0].accuracy))! }))
        XCTAssertTrue(try String(contentsOf: folder.appendingPathComponent("pareto.svg"), encoding: .utf8).hasPrefix("<svg"))

        for index in state.paretoFront {
            let best = folder.appendingPathComponent("best/\(state.archive[index].id)")
            let architecture = try Architecture.load(path: best.appendingPathComponent("arch.json").path)
            XCTAssertEqual(architecture.backbones["image"], state.archive[index].backbones[0])
            XCTAssertEqual(architecture.backbones["audio"], state.archive[index].backbones[1])
            XCTAssertEqual(architecture.fusion?.steps, state.archive[index].macro.cells)
            for (m, modality) in ["image", "audio"].enumerated() {
                let weights = try SafeTensors.read(from: best.appendingPathComponent("\(modality).safetensors"))
                let subnet = try supernets()[m].extractSubnet(state.archive[index].backbones[m])
                XCTAssertEqual(Set(weights.tensors.keys), Set(subnet.stateDict().tensors.keys), "the subnet's own tensors")
            }
            let dot = try String(contentsOf: best.appendingPathComponent("fusion.dot"), encoding: .utf8)
            XCTAssertTrue(dot.contains("digraph"), dot)
        }

        // A run killed after generation 0: only config.json and generations/000.json survive; --resume finishes it.
        let resumed = try temporaryFolder()
        try manager.createDirectory(at: resumed.appendingPathComponent("generations"), withIntermediateDirectories: true)
        for name in ["config.json", "generations/000.json"] {
            try manager.copyItem(at: folder.appendingPathComponent(name), to: resumed.appendingPathComponent(name))
        }
        let saved = try SearchRunDirectory(root: resumed).latestGeneration()
        XCTAssertEqual(saved?.generation, 1)
        XCTAssertEqual(try run(try SearchRunDirectory(root: resumed).readConfig(), in: resumed, resume: true), state)
        let log = try String(contentsOf: resumed.appendingPathComponent("log.txt"), encoding: .utf8)
        XCTAssertTrue(log.contains("resuming after generation 1 of 2"), log)
        XCTAssertFalse(log.contains("generation 1/2:"), "generation 0 is not run again")
        XCTAssertTrue(manager.fileExists(atPath: resumed.appendingPathComponent("generations/001.json").path))

        // A run killed after its last generation file but before its results: --resume writes them.
        let finished = try temporaryFolder()
        try manager.createDirectory(at: finished.appendingPathComponent("generations"), withIntermediateDirectories: true)
        for name in ["config.json", "generations/000.json", "generations/001.json"] {
            try manager.copyItem(at: folder.appendingPathComponent(name), to: finished.appendingPathComponent(name))
        }
        XCTAssertEqual(try run(try SearchRunDirectory(root: finished).readConfig(), in: finished, resume: true), state)
        XCTAssertEqual(try String(contentsOf: finished.appendingPathComponent("pareto.csv"), encoding: .utf8), csv)
        for index in state.paretoFront {
            XCTAssertTrue(manager.fileExists(atPath: finished.appendingPathComponent("best/\(state.archive[index].id)/image.safetensors").path))
        }
    }

    /// A hardware model without a fusion-operator table (host) cannot price a candidate's fusion network.
    func testHardwareWithoutFusionOperatorsIsRefused() throws {
        let folder = URL(fileURLWithPath: "/tmp")
        let registry = makeRegistry()
        let host = try registry.hardwareModels.make("host")
        XCTAssertFalse(host.measuresFusionOperators)
        let options = options(tinyConfig(out: folder).fusionOptions)
        XCTAssertThrowsError(try SupernetSearchEvaluator(networks: try networks(), data: try syntheticData(), hardware: host,
                                                         fusionSearch: try registry.fusionSearches.make("random"), options: options)) {
            XCTAssertTrue("\($0)".contains("fusion-operator table"), "\($0)")
        }
    }

    /// The original's AV-MNIST YAML sets the original's budget; flags override it.
    func testOriginalYAMLKeysSetTheBudget() throws {
        var config = SearchRunConfig(data: "d", weightsDir: "w")
        try config.apply(configuration: [
            "evo_search_outer": ["parent_popu_size": 8, "evo_iter": 30, "mutate_size": 64, "crossover_size": 64] as [String: Any],
            "evo_search_inner": ["survival_ratio": 0.25] as [String: Any],
            "fusion_epochs": 25, "C": 192, "L": 16, "eta_min": "1e-6", "post_bn_calibration_batch_num": 64, "seed": 42,
            "n_gpu_per_node": 8,
        ])
        XCTAssertEqual(config.settings.generations, 30)
        XCTAssertEqual(config.settings.parentPopulationSize, 8)
        XCTAssertEqual(config.fusionOptions.epochs, 25)
        XCTAssertEqual(config.fusionOptions.retrainEpochs, 25)
        XCTAssertEqual(config.fusionOptions.learningRateMin, 1e-6)
        XCTAssertTrue(config.settings.offspringCounts == (4, 4))
    }

    func testRecentCacheKeepsTheMostRecentlyUsed() {
        var cache = RecentCache<Int, String>(capacity: 2)
        cache[1] = "a"
        cache[2] = "b"
        XCTAssertEqual(cache[1], "a")   // 2 is now the least recently used
        cache[3] = "c"
        XCTAssertNil(cache[2])
        XCTAssertEqual(cache[1], "a")
        XCTAssertEqual(cache[3], "c")
        XCTAssertEqual(cache.count, 2)
    }
}

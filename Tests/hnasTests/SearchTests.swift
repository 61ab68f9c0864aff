import XCTest
import HNASKit
import SearchDARTS
import SearchEvolution
@testable import hnas

/// `hnas search` on a tiny synthetic AV-MNIST-shaped setting: untrained supernets, a few random samples,
/// population 2, one fusion epoch with a narrow fusion network.
final class SearchTests: XCTestCase {
    private func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-search-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// Random image (1×28×28) and audio (1×20×20) samples with labels cycling through 10 classes.
    private func syntheticData(train: Int = 20, validation: Int = 10, test: Int = 10) throws -> SearchData {
        var generator = SeededGenerator(seed: 3)
        func split(_ n: Int) throws -> [TensorDataset] {
            let labels = (0..<n).map { $0 % 10 }
            return try [[1, 28, 28], [1, 20, 20]].map { shape in
                let count = n * shape.reduce(1, *)
                let x = try Tensor(shape: [n] + shape, scalars: (0..<count).map { _ in Float(generator.normal()) })
                return try TensorDataset(inputs: x, labels: labels)
            }
        }
        return SearchData(inputs: ["image", "audio"], classes: 10, train: try split(train), validation: try split(validation),
                          test: try split(test))
    }

    private func supernets() throws -> [OFAMobileNetV3] {
        try ["image", "audio"].enumerated().map { m, modality in
            OFAMobileNetV3(space: try StockSupernet.space(dataset: "avmnist", modality: modality), seed: UInt64(m))
        }
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
        var options = SupernetSearchEvaluator.Options(dataset: "avmnist", fusion: tinyConfig(out: URL(fileURLWithPath: "/tmp")).fusionOptions,
                                                      modalityNames: ["Image", "Audio"])
        options.calibrationBatches = 2
        let evaluator = try SupernetSearchEvaluator(supernets: try supernets(), data: try syntheticData(), hardware: hardware,
                                                    fusionSearch: try registry.fusionSearches.make(fusion), options: options)
        return (evaluator, hardware)
    }

    /// Weights trained on the whole training split (train-supernet, `original`) are used under `sound` with a
    /// warning; weights a `sound` run trained on its training part are reused silently.
    func testWeightsThatMaySeeTheValidationSplitAreWarnedAbout() throws {
        let folder = try temporaryFolder()
        let data = try syntheticData()
        let url = folder.appendingPathComponent(SupernetWeights.fileName(dataset: "avmnist", modality: "audio"))
        func provide(_ fraction: Double?) throws -> [String] {
            var lines: [String] = []
            _ = try SupernetWeights.provide(dataset: "avmnist", modality: "audio", directory: folder, train: data.train[1],
                                            selection: data.selection[1], validationFraction: fraction, epochs: 1, seed: 1) { lines.append($0) }
            return lines.filter { $0.hasPrefix("warning:") }
        }
        // Trained here by a sound run (20 training samples after a 0.2 hold-out), then reused: no warning.
        XCTAssertEqual(try provide(0.2), [])
        XCTAssertEqual(try SafeTensors.read(from: url).metadata["validation_fraction"], "0.2")
        XCTAssertEqual(try provide(0.2), [])
        XCTAssertEqual(try provide(0.3).count, 1, "another hold-out: some validation samples were trained on")

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
        let (_, accuracy) = try SubnetEvaluation.evaluate(supernet, config: config, train: data.train[1], test: data.validation![1],
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
        return try runner.run(data: try syntheticData(), supernets: try supernets(), resume: resume)
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

    // MARK: - Bad input through the command line

    private func commandError(_ arguments: [String]) -> String {
        do {
            let command = try SearchCommand.parse(arguments)
            try command.run()
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    func testBadInputIsAnErrorNamingTheProblem() throws {
        let folder = try temporaryFolder()
        let out = ["--out", folder.appendingPathComponent("run").path]
        XCTAssertTrue(commandError(["--data", "/nonexistent/avmnist"] + out).contains("/nonexistent/avmnist"))
        let fusion = commandError(["--fusion", "evolutionary-darts"] + out)
        XCTAssertTrue(fusion.contains("evolutionary-darts") && fusion.contains("darts") && fusion.contains("random"), fusion)
        let search = commandError(["--search", "grid"] + out)
        XCTAssertTrue(search.contains("grid") && search.contains("evolution"), search)
        XCTAssertTrue(commandError(["--hardware", "tpu"] + out).contains("tx2"))
        XCTAssertTrue(commandError(["--dataset", "cifar"] + out).contains("avmnist"))
        XCTAssertTrue(commandError(["--population", "0", "--data", "."] + out).contains("--population"))
        XCTAssertTrue(commandError(["--resume"] + out).contains("cannot resume"))
        let resumed = commandError(["--resume", "--generations", "5", "--hardware", "agx"] + out)
        XCTAssertTrue(resumed.contains("cannot combine --resume with --hardware, --generations:"), resumed)

        let yaml = folder.appendingPathComponent("bad.yml")
        try "evo_search_outer:\n  evo_iter: 2.5\n".write(to: yaml, atomically: true, encoding: .utf8)
        let iterations = commandError(["--config", yaml.path, "--data", "."] + out)
        XCTAssertTrue(iterations.contains("evo_search_outer.evo_iter") && iterations.contains(yaml.path), iterations)
        try "fusion_epochs: many\n".write(to: yaml, atomically: true, encoding: .utf8)
        XCTAssertTrue(commandError(["--config", yaml.path, "--data", "."] + out).contains("fusion_epochs"))
        try "C: 0\n".write(to: yaml, atomically: true, encoding: .utf8)
        XCTAssertTrue(commandError(["--config", yaml.path, "--data", "."] + out).contains("C: must be at least 1"))
        try "evo_search_outer: [1, 2\n".write(to: yaml, atomically: true, encoding: .utf8)
        XCTAssertTrue(commandError(["--config", yaml.path, "--data", "."] + out).contains("cannot parse"))
    }

    /// A hardware model without a fusion-operator table (host) is refused before anything is written or trained.
    func testHardwareWithoutFusionOperatorsIsRefusedEarly() throws {
        let folder = try temporaryFolder()
        let run = folder.appendingPathComponent("run")
        let message = commandError(["--hardware", "host", "--data", ".", "--out", run.path])
        XCTAssertTrue(message.contains("--hardware") && message.contains("fusion-operator table") && message.contains("tx2"), message)
        XCTAssertFalse(FileManager.default.fileExists(atPath: run.appendingPathComponent("config.json").path))

        let registry = makeRegistry()
        let host = try registry.hardwareModels.make("host")
        XCTAssertFalse(host.measuresFusionOperators)
        let options = SupernetSearchEvaluator.Options(dataset: "avmnist", fusion: tinyConfig(out: folder).fusionOptions,
                                                      modalityNames: ["Image", "Audio"])
        XCTAssertThrowsError(try SupernetSearchEvaluator(supernets: try supernets(), data: try syntheticData(), hardware: host,
                                                         fusionSearch: try registry.fusionSearches.make("random"), options: options)) {
            XCTAssertTrue("\($0)".contains("fusion-operator table"), "\($0)")
        }
        let fusion = try FusionSearchCommand.parse(["--dataset", "avmnist", "--hardware", "host", "--image-arch", "max",
                                                    "--audio-arch", "max", "--weights-dir", folder.path])
        XCTAssertThrowsError(try fusion.run()) { XCTAssertTrue("\($0)".contains("fusion-operator table"), "\($0)") }
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

    /// The example YAML shipped in Examples/ gives the original's AV-MNIST budget.
    func testExampleConfigFileIsTheOriginalBudget() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Examples/search_config_avmnist.yml")
        var config = SearchRunConfig(data: "d", weightsDir: "w")
        try config.apply(yamlFile: file.path)
        XCTAssertEqual(config.settings.parentPopulationSize, 8)
        XCTAssertEqual(config.settings.generations, 30)
        XCTAssertEqual(config.settings.outerSurvivalRatio, 0.5)
        XCTAssertEqual(config.fusionOptions.epochs, 25)
        XCTAssertEqual(config.fusionOptions.channels, 192)
        XCTAssertEqual(config.fusionOptions.learningRateMin, 1e-6)
        XCTAssertEqual(config.calibrationBatches, 64)
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

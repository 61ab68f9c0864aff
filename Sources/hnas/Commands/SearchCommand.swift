import ArgumentParser
import Foundation
import HNASKit

extension FusionProtocol: ExpressibleByArgument {}

/// `hnas search`: the hardware-aware multimodal architecture search, end to end.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search multimodal architectures (backbones + fusion) for accuracy, latency and energy on a device.",
        discussion: """
            Loads (or first trains, into --weights-dir) one OFA MobileNetV3 supernet per modality, then runs the \
            outer search: each generation scores every backbone subnet (BN recalibration, unimodal accuracy, \
            latency/energy from the device tables), fuses the best ones with the fusion search, keeps the \
            Pareto-best multimodal candidates and breeds the next generation.

            Defaults are sized for the embedded sample (population \(SearchRunConfig.samplePopulation), \
            \(SearchRunConfig.sampleGenerations) generations, \(SearchRunConfig.sampleFusionEpochs) fusion epochs, \
            \(SearchRunConfig.sampleSupernetEpochs) supernet epochs); --config with the original's \
            search_config_avmnist.yml runs its budget (P 8, 30 generations, 25 fusion epochs). Flags override the YAML.

            Protocol 'sound' (default) selects on a validation split carved from the training data and reports the \
            test split; 'original' selects on the test split as Harmonic-NAS does.

            The run directory gets config.json, generations/NNN.json (the state after each generation), pareto.csv, \
            pareto.svg, best/<id>/{arch.json,fusion.dot,result.json} and log.txt, all written atomically. \
            A killed run continues from its last finished generation with --resume (same --out, plus --threads if \
            wanted); its settings come from config.json, so the other flags are refused with --resume.

            Examples:
              hnas search --dataset avmnist --data Data/avmnist-sample
              hnas search --dataset avmnist --data Data/avmnist-sample --out runs/small --generations 2 --population 4
              hnas search --dataset avmnist --data Data/avmnist-sample --config search_config_avmnist.yml --out runs/full
              hnas search --out runs/full --resume
            """
    )

    @Option(help: "Dataset pipeline (the end-to-end search supports avmnist).")
    var dataset = "avmnist"

    @Option(help: "Dataset folder.")
    var data = "Data/avmnist-sample"

    @Option(help: "Run directory.")
    var out = "runs/avmnist"

    @Option(help: "A Harmonic-NAS search YAML (evo_search_outer/inner, fusion_epochs, C, L, …).")
    var config: String?

    @Option(help: "Outer search strategy: evolution or random.")
    var search = "evolution"

    @Option(help: "Fusion search: darts or random.")
    var fusion = "darts"

    @Option(help: "Device whose latency/energy tables are used: tx2 or agx.")
    var hardware = "tx2"

    @Option(name: .customLong("protocol"), help: "sound (select on a validation split) or original (select on test).")
    var fusionProtocol: FusionProtocol = .sound

    @Option(help: "Generations (default \(SearchRunConfig.sampleGenerations), or evo_search_outer.evo_iter).")
    var generations: Int?

    @Option(help: "Population per generation (default \(SearchRunConfig.samplePopulation), or evo_search_outer.parent_popu_size).")
    var population: Int?

    @Option(help: "Fusion search (and retraining) epochs per candidate (default \(SearchRunConfig.sampleFusionEpochs), or fusion_epochs).")
    var fusionEpochs: Int?

    @Option(help: "Supernet training epochs when the weights are missing.")
    var supernetEpochs = SearchRunConfig.sampleSupernetEpochs

    @Option(help: "Latency limit in ms: candidates above it are infeasible.")
    var maxLatency: Double?

    @Option(help: "Energy limit in mJ: candidates above it are infeasible.")
    var maxEnergy: Double?

    @Flag(help: "Inherit, cross and mutate the fusion macro-architecture (cells, nodes) instead of redrawing it.")
    var evolveMacro = false

    @Option(help: "Folder of <dataset>-<modality>.safetensors supernet weights (default <out>/weights); trained there if missing.")
    var weightsDir: String?

    @Option(help: "Seed of the run (default 42, or the YAML's seed).")
    var seed: UInt64?

    @OptionGroup var threads: ThreadsOption

    @Flag(help: "Continue the run in --out from its last finished generation, with the settings in its config.json (no other settings flags).")
    var resume = false

    func run() throws {
        try threads.apply()
        let directory = SearchRunDirectory(root: URL(fileURLWithPath: out))
        let registry = makeRegistry()
        let settings = try resume ? resumedConfig(directory) : freshConfig(directory, registry: registry)
        let runner = SearchRunner(config: settings, directory: directory, registry: registry)
        let clock = Date()
        guard let pipeline = StockDataset(rawValue: settings.dataset) else {
            throw HNASError.argument("--dataset", why: "unknown dataset '\(settings.dataset)' (known: \(StockDataset.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let source = try pipeline.open(root: URL(fileURLWithPath: settings.data), registry: registry)
        let inputs = StockBackbones.costedBackbones(dataset: settings.dataset).map(\.modality)
        let data = try SearchData.load(source, inputs: inputs, validationFraction: settings.fusionOptions.selectionHoldout,
                                       threads: Parallel.threads)
        runner.log("data: \(data.train[0].count) train / \(data.validation?[0].count ?? 0) validation / \(data.test[0].count) test samples, "
                   + "inputs \(zip(inputs, data.train).map { "\($0.0) \($0.1.sampleShape)" }.joined(separator: ", ")) "
                   + "(\(SearchRunner.duration(Date().timeIntervalSince(clock))), \(Parallel.threads) thread(s))")
        var supernets = [OFAMobileNetV3?](repeating: nil, count: inputs.count)
        let weightsDir = URL(fileURLWithPath: settings.weightsDir)
        func provide(_ m: Int) throws {
            let (network, seconds) = try SupernetWeights.provide(
                dataset: settings.dataset, modality: inputs[m], directory: weightsDir,
                train: data.train[m], selection: data.selection[m], validationFraction: settings.fusionOptions.selectionHoldout,
                epochs: settings.supernetEpochs, seed: settings.seed,
                log: runner.log)
            supernets[m] = network
            runner.supernetSeconds += seconds
        }
        // Every input is opened before the first write: the data above, the trained weights here. Then the
        // folder is claimed (marker first), config.json written, and missing supernets trained.
        for m in inputs.indices where SupernetWeights.isTrained(dataset: settings.dataset, modality: inputs[m], directory: weightsDir) {
            try provide(m)
        }
        try directory.claim(resumed: resume)
        if !resume { try directory.writeConfig(settings) }
        for m in inputs.indices where supernets[m] == nil { try provide(m) }
        try runner.flushLog()
        let state = try runner.run(data: data, supernets: supernets.compactMap { $0 }, resume: resume)
        let summary = try runner.summary(state)
        runner.record(summary)
        try runner.flushLog()
        print(summary)
    }

    /// The settings of a new run from the defaults, `--config` and the flags (`run` writes them to `config.json`
    /// once the data and weights are open).
    /// - Throws: `HNASError` for unknown plugin names, bad values, or a run directory that already holds a run
    ///   or is not hnas's (`SearchRunDirectory.checkUsable`).
    func freshConfig(_ directory: SearchRunDirectory, registry: Registry) throws -> SearchRunConfig {
        // Unknown names fail here, before any data is decoded; `make` lists the known ones.
        _ = try registry.searchStrategies.make(search)
        _ = try registry.fusionSearches.make(fusion)
        try SupernetSearchEvaluator.requireFusionOperators(try registry.hardwareModels.make(hardware))
        guard StockBackbones.datasets.contains(dataset), StockDataset(rawValue: dataset) != nil else {
            throw HNASError.argument("--dataset", why: "unknown dataset '\(dataset)' (known: \(StockDataset.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard dataset == "avmnist" else {
            throw HNASError.argument("--dataset", why: "the end-to-end search supports avmnist; \(dataset) needs its fixed text network, not built yet")
        }
        guard FileManager.default.fileExists(atPath: data) else {
            throw HNASError.file(data, "missing dataset folder", why: "no such file or directory")
        }
        try directory.checkUsable()
        if try directory.latestGeneration() != nil {
            throw HNASError.file(directory.root.path, "refusing to start a new run in",
                                 why: "it already holds a run (continue it with --resume, or choose another --out)")
        }
        var settings = SearchRunConfig(data: data, weightsDir: weightsDir ?? directory.root.appendingPathComponent("weights").path)
        settings.dataset = dataset
        if let config { try settings.apply(yamlFile: config) }
        settings.search = search
        settings.fusion = fusion
        settings.hardware = hardware
        settings.fusionOptions.fusionProtocol = fusionProtocol
        settings.settings.macroSpace = try MacroSpace.forDataset(dataset)
        if let generations { settings.settings.generations = generations }
        if let population { settings.settings.parentPopulationSize = population }
        if let fusionEpochs {
            settings.fusionOptions.epochs = fusionEpochs
            settings.fusionOptions.retrainEpochs = fusionEpochs
        }
        settings.supernetEpochs = supernetEpochs
        settings.settings.maxLatencyMs = maxLatency ?? settings.settings.maxLatencyMs
        settings.settings.maxEnergyMJ = maxEnergy ?? settings.settings.maxEnergyMJ
        settings.settings.evolveMacro = evolveMacro
        if let seed { settings.seed = seed }
        do {
            try settings.settings.validate()
            try settings.fusionOptions.validate()
        } catch let error as HNASError {
            throw HNASError.argument(Self.flag(for: error.subjectName), why: error.why)
        }
        guard supernetEpochs >= 1 else { throw HNASError.argument("--supernet-epochs", why: "must be at least 1, got \(supernetEpochs)") }
        return settings
    }

    /// The settings flags given with `--resume`: a resumed run keeps every setting of its `config.json`, so these
    /// would be silently ignored. A flag given with its default value cannot be told apart and is not listed.
    func settingsFlagsGiven() throws -> [String] {
        let defaults = try Self.parse([])
        let given: [(String, Bool)] = [
            ("--dataset", dataset != defaults.dataset), ("--data", data != defaults.data), ("--config", config != nil),
            ("--search", search != defaults.search), ("--fusion", fusion != defaults.fusion),
            ("--hardware", hardware != defaults.hardware), ("--protocol", fusionProtocol != defaults.fusionProtocol),
            ("--generations", generations != nil), ("--population", population != nil), ("--fusion-epochs", fusionEpochs != nil),
            ("--supernet-epochs", supernetEpochs != defaults.supernetEpochs), ("--max-latency", maxLatency != nil),
            ("--max-energy", maxEnergy != nil), ("--evolve-macro", evolveMacro), ("--weights-dir", weightsDir != nil),
            ("--seed", seed != nil),
        ]
        return given.filter(\.1).map(\.0)
    }

    /// The settings saved in `config.json` of the run being resumed.
    /// - Throws: `HNASError` when settings flags were given too (they cannot change a run half-way) or no run was started.
    func resumedConfig(_ directory: SearchRunDirectory) throws -> SearchRunConfig {
        let ignored = try settingsFlagsGiven()
        guard ignored.isEmpty else {
            throw HNASError("cannot combine --resume with", .argument(ignored.joined(separator: ", ")),
                            why: "the run continues with the settings in its config.json (start a new run with another --out to change them)")
        }
        guard FileManager.default.fileExists(atPath: directory.configURL.path) else {
            throw HNASError.file(directory.configURL.path, "cannot resume", why: "no run was started in \(out) (run without --resume first)")
        }
        let config = try directory.readConfig()
        _ = try directory.latestGeneration()  // a damaged state fails now, before data and weights are loaded
        return config
    }

    /// The flag a validation error names when the value came from one (YAML keys are kept otherwise).
    private static func flag(for key: String) -> String {
        switch key {
        case "evo_search_outer.evo_iter": return "--generations / evo_search_outer.evo_iter"
        case "evo_search_outer.parent_popu_size": return "--population / evo_search_outer.parent_popu_size"
        case "epochs", "retrain-epochs": return "--fusion-epochs / fusion_epochs"
        default: return key
        }
    }
}

import ArgumentParser
import Foundation
import HNASKit
import HNASSearch
import StockPipelines

extension FusionProtocol: ExpressibleByArgument {}

/// `hnas search`: the hardware-aware multimodal architecture search, end to end.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search multimodal architectures (backbones + fusion) for accuracy, latency and energy on a device.",
        discussion: """
            Opens the dataset folder with the --dataset pipeline, loads (or first trains, into --weights-dir) one \
            OFA MobileNetV3 supernet per searched modality and the fixed networks (MM-IMDB and Memes: the Maxout \
            text network, or --text-weights), then runs the outer search: each generation scores every backbone \
            subnet (BN recalibration, unimodal accuracy or weighted F1, latency/energy from the device tables), fuses \
            the best ones with the fixed networks' features through the fusion search, keeps the Pareto-best \
            multimodal candidates and breeds the next generation.

            Defaults are sized for small samples such as the embedded AV-MNIST one (population \(StockBudget.sample.population), \
            \(StockBudget.sample.generations) generations, \(StockBudget.sample.fusionEpochs) fusion epochs, \
            \(StockBudget.sample.supernetEpochs) supernet epochs); --config with the original's \
            search_config_*.yml runs its budget and selects its dataset (a --dataset that contradicts it is an error; \
            unknown keys are warned about). Flags override the YAML.

            Protocol 'sound' (default) selects on a validation split — the dataset's own (MM-IMDB dev, Memes val) or \
            one carved from the training data (AV-MNIST) — and reports the test split; 'original' selects on the test \
            split as Harmonic-NAS does.

            The run directory gets config.json, generations/NNN.json (the state after each generation), pareto.csv, \
            pareto.svg, best/<id>/{arch.json,fusion.dot,result.json,<modality>.safetensors} and log.txt, all written \
            atomically. A killed run continues from its last finished generation with --resume (same --out, plus \
            --threads if wanted); its settings come from config.json, so the other flags are refused with --resume.

            Distributed (--distributed mpi, under mpirun -np N): rank 0 runs the search and writes every file; the backbone evaluations and fusion searches of each generation are spread over all processes, one at a time to whichever is free, and their results gathered in order, so the run directory equals a single-process run's. Every process checks its settings, data and weights against rank 0's at start.

            Examples:
              hnas search --dataset avmnist --data Data/avmnist-sample
              mpirun -np 2 hnas search --dataset avmnist --data Data/avmnist-sample --threads 1 --distributed mpi
              hnas search --dataset avmnist --data Data/avmnist-sample --out runs/small --generations 2 --population 4
              hnas search --dataset avmnist --data Data/avmnist-sample --config search_config_avmnist.yml --out runs/full
              hnas search --dataset mmimdb --data Data/mmimdb --text-weights maxout-mmimdb-text.safetensors
              hnas search --dataset memes --data Data/memes --config search_config_memes_politics.yml
              hnas search --out runs/full --resume
            """
    )

    @Option(help: ArgumentHelp("Dataset pipeline: \(makeRegistry().pipelines.names.joined(separator: ", ")) (default avmnist, or the config's dataset key)."))
    var dataset: String?

    @Option(help: "Dataset folder.")
    var data = "Data/avmnist-sample"

    @Option(help: "Run directory (default runs/<dataset>).")
    var out: String?

    @Option(help: "A Harmonic-NAS search YAML (dataset, evo_search_outer/inner, fusion_epochs, C, L, …).")
    var config: String?

    @Option(help: "Outer search strategy: evolution or random.")
    var search = "evolution"

    @Option(help: "Fusion search: darts or random.")
    var fusion = "darts"

    @Option(help: "Device whose latency/energy tables are used: tx2 or agx (default: the pipeline's, tx2).")
    var hardware: String?

    @Option(name: .customLong("protocol"), help: "sound (select on a validation split) or original (select on test).")
    var fusionProtocol: FusionProtocol = .sound

    @Option(help: "Generations (default \(StockBudget.sample.generations), or evo_search_outer.evo_iter).")
    var generations: Int?

    @Option(help: "Population per generation (default \(StockBudget.sample.population), or evo_search_outer.parent_popu_size).")
    var population: Int?

    @Option(help: "Fusion search (and retraining) epochs per candidate (default \(StockBudget.sample.fusionEpochs), or fusion_epochs).")
    var fusionEpochs: Int?

    @Option(help: "Supernet training epochs when the weights are missing (default \(StockBudget.sample.supernetEpochs)).")
    var supernetEpochs: Int?

    @Option(help: "Use only this many samples of each split, evenly spaced (a quick trial).")
    var samples: Int?

    @Option(help: "Weights of the fixed Maxout text network (mmimdb, memes): `hnas train-text` output or the original's converted file (default: <weights-dir>/<dataset>-text.safetensors, trained there if missing).")
    var textWeights: String?

    @Option(help: "Training epochs of a fixed network (the Maxout text network) when its weights are missing (default \(StockBudget.sample.fixedEpochs)).")
    var fixedEpochs: Int?

    @Option(help: "Latency limit in ms: candidates above it are infeasible.")
    var maxLatency: Double?

    @Option(help: "Energy limit in mJ: candidates above it are infeasible.")
    var maxEnergy: Double?

    @Flag(help: "Inherit, cross and mutate the fusion macro-architecture (cells, nodes) instead of redrawing it.")
    var evolveMacro = false

    @Option(help: "Folder of <dataset>-<modality>.safetensors backbone weights (default <out>/weights); trained there if missing.")
    var weightsDir: String?

    @Option(help: "Seed of the run (default 42, or the YAML's seed).")
    var seed: UInt64?

    @OptionGroup var threads: ThreadsOption

    @OptionGroup var distribution: DistributedOption

    @Flag(help: "Continue the run in --out from its last finished generation, with the settings in its config.json (no other settings flags).")
    var resume = false

    /// The run directory: `--out`, else `runs/<dataset>` (the run's pipeline; `runs/avmnist` for `--resume`).
    func directory(pipeline: String = "avmnist") -> SearchRunDirectory {
        SearchRunDirectory(root: URL(fileURLWithPath: out ?? "runs/\(pipeline)"))
    }

    func run() throws {
        try threads.apply()
        let communicator = try distribution.start(threads: threads)
        let isRoot = communicator?.isRoot ?? true
        let registry = makeRegistry()
        let (settings, directory) = try resume ? (resumedConfig(directory()), directory()) : freshConfig(registry: registry, warns: isRoot)
        let runner = SearchRunner(config: settings, directory: directory, registry: registry)
        runner.communicator = communicator
        guard isRoot else { return try runner.serve() }
        let state = try runner.run(resume: resume)
        let summary = try runner.summary(state)
        runner.record(summary)
        try runner.flushLog()
        print(summary)
    }

    /// The pipeline of the run: `--dataset`, else the config's `dataset` key, else AV-MNIST; a config whose
    /// `dataset` contradicts `--dataset` is an error naming both.
    func pipeline(yaml: [String: Any]?, registry: Registry) throws -> any Pipeline {
        let fromConfig = try yaml.flatMap { yaml -> (any Pipeline)? in
            do { return try SearchRunConfig.pipeline(in: yaml, registry: registry) } catch let error as HNASError {
                throw HNASError.file(config!, "invalid search config", why: "\(error.subjectName): \(error.why)")
            }
        }
        guard let dataset else { return try fromConfig ?? registry.pipelines.make("avmnist") }
        let chosen = try registry.pipelines.make(dataset)
        if let fromConfig, fromConfig.name != chosen.name {
            throw HNASError.argument("--dataset", why: "'\(dataset)' contradicts the dataset '\(yaml?["dataset"] ?? "")' of \(config!) "
                                     + "(the \(fromConfig.name) pipeline); drop one of them")
        }
        return chosen
    }

    /// The settings of a new run from the pipeline's defaults, `--config` and the flags (the runner writes them to
    /// `config.json` once the data and the trained weights are open); `warns`: print warnings (distributed: rank 0 alone).
    /// - Throws: `HNASError` for unknown plugin names, bad values, or a run directory that already holds a run
    ///   or is not hnas's (`SearchRunDirectory.checkUsable`).
    func freshConfig(registry: Registry, warns: Bool = true) throws -> (SearchRunConfig, SearchRunDirectory) {
        let yaml = try config.map(SearchRunConfig.readYAML)
        let pipeline = try pipeline(yaml: yaml, registry: registry)
        let directory = directory(pipeline: pipeline.name)
        // Unknown names fail here, before any data is decoded; `make` lists the known ones.
        _ = try registry.searchStrategies.make(search)
        try SupernetSearchEvaluator.requireFusionOperators(try registry.hardwareModel(hardware ?? pipeline.defaultHardware,
                                                                                      pricingFusionOf: try registry.fusionSearches.make(fusion)))
        guard FileManager.default.fileExists(atPath: data) else {
            throw HNASError.file(data, "missing dataset folder", why: "no such file or directory")
        }
        if let textWeights {
            guard let text = pipeline.fixedInputs.first(where: { $0.modality == "text" }) else {
                throw HNASError.argument("--text-weights", why: "the \(pipeline.name) pipeline has no fixed text network")
            }
            guard FileManager.default.fileExists(atPath: textWeights) else {
                throw HNASError.file(textWeights, "missing text weights", why: "no such file (make them with `hnas train-text --dataset \(pipeline.name)`)")
            }
            try registry.backbones.make(text.backbone).makeNetwork(seed: 0).load(from: URL(fileURLWithPath: textWeights))
        }
        try directory.checkUsable()
        if try directory.latestGeneration() != nil {
            throw HNASError.file(directory.root.path, "refusing to start a new run in",
                                 why: "it already holds a run (continue it with --resume, or choose another --out)")
        }
        var settings = SearchRunConfig(pipeline: pipeline, data: data,
                                       weightsDir: weightsDir ?? directory.root.appendingPathComponent("weights").path)
        if let yaml, let config {
            for key in SearchRunConfig.unknownKeys(in: yaml) where warns {
                FileHandle.standardError.write(Data("warning: \(config): unknown key '\(key)' (not a key of the original's search configs; ignored)\n".utf8))
            }
            try settings.apply(yaml: yaml, path: config)
        }
        settings.search = search
        settings.fusion = fusion
        settings.hardware = hardware ?? pipeline.defaultHardware
        settings.fusionOptions.fusionProtocol = fusionProtocol
        if let generations { settings.settings.generations = generations }
        if let population { settings.settings.parentPopulationSize = population }
        if let fusionEpochs {
            settings.fusionOptions.epochs = fusionEpochs
            settings.fusionOptions.retrainEpochs = fusionEpochs
        }
        if let supernetEpochs { settings.supernetEpochs = supernetEpochs }
        if let samples { settings.samples = try ArgumentRange.check(samples, ArgumentRange.samples, "--samples") }
        if let fixedEpochs { settings.fixedEpochs = fixedEpochs }
        if let textWeights { settings.fixedWeights = ["text": URL(fileURLWithPath: textWeights).path] }
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
        try ArgumentRange.check(settings.supernetEpochs, ArgumentRange.epochs, "--supernet-epochs")
        if let fixedEpochs = settings.fixedEpochs { try ArgumentRange.check(fixedEpochs, ArgumentRange.epochs, "--fixed-epochs") }
        // The folder's layout is checked now (cheap), so a folder of another pipeline writes nothing.
        _ = try pipeline.list(root: URL(fileURLWithPath: data)).validSplits()
        return (settings, directory)
    }

    /// The settings flags given with `--resume`: a resumed run keeps every setting of its `config.json`, so these
    /// would be silently ignored. A flag given with its default value cannot be told apart and is not listed.
    func settingsFlagsGiven() throws -> [String] {
        let defaults = try Self.parse([])
        let given: [(String, Bool)] = [
            ("--dataset", dataset != nil), ("--data", data != defaults.data), ("--config", config != nil),
            ("--search", search != defaults.search), ("--fusion", fusion != defaults.fusion),
            ("--hardware", hardware != nil), ("--protocol", fusionProtocol != defaults.fusionProtocol),
            ("--generations", generations != nil), ("--population", population != nil), ("--fusion-epochs", fusionEpochs != nil),
            ("--supernet-epochs", supernetEpochs != nil), ("--samples", samples != nil), ("--text-weights", textWeights != nil), ("--fixed-epochs", fixedEpochs != nil),
            ("--max-latency", maxLatency != nil),
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
            throw HNASError.file(directory.configURL.path, "cannot resume", why: "no run was started in \(directory.root.path) (run without --resume first)")
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

import Foundation
import HNASKit

/// Drives one `hnas search` run over its run directory: builds the evaluator from the trained supernets,
/// starts (or resumes from the last `generations/NNN.json`) the registered strategy, writes the state and
/// the results after every generation, and reports progress with an ETA.
public final class SearchRunner {
    public let config: SearchRunConfig
    public let directory: SearchRunDirectory
    public let registry: Registry
    /// Everything logged, mirrored to `log.txt` (rewritten atomically after every evaluation).
    private var logText = ""
    /// Where progress lines go besides the log file (stderr in the CLI).
    public var echo: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    public private(set) var timings = SupernetSearchEvaluator.Timings()
    /// Seconds spent training supernets in this run (added by the caller).
    public var supernetSeconds = 0.0

    public init(config: SearchRunConfig, directory: SearchRunDirectory, registry: Registry) {
        self.config = config
        self.directory = directory
        self.registry = registry
        logText = (try? String(contentsOf: directory.logURL, encoding: .utf8)) ?? ""
    }

    /// Logs one line to stderr and the log file (flushed on the next `flushLog`).
    public func log(_ line: String) {
        echo(line)
        record(line)
    }

    /// Adds `text` to the log file only (e.g. the summary the CLI prints on stdout).
    public func record(_ text: String) {
        logText += text + "\n"
    }

    public func flushLog() throws {
        try SearchRunDirectory.writeAtomically(Data(logText.utf8), to: directory.logURL)
    }

    /// The state to continue from: the last saved generation with `resume`, else a fresh start.
    /// - Throws: `HNASError` when the saved state belongs to other settings or another strategy.
    private func initialState(strategy: any SearchStrategy, evaluator: any SearchEvaluator, resume: Bool) throws -> SearchState {
        if resume, let saved = try directory.latestGeneration() {
            guard saved.strategy == strategy.name, saved.settings == config.settings, saved.seed == config.seed else {
                throw HNASError.file(directory.generationsURL.path, "cannot resume from",
                                     why: "the saved state was made with other settings than \(directory.configURL.path)")
            }
            log("resuming after generation \(saved.generation) of \(saved.settings.generations)")
            return saved
        }
        return try strategy.start(settings: config.settings, evaluator: evaluator, seed: config.seed)
    }

    /// The whole run: opens `config.data` with the registered pipeline `config.dataset`, loads its splits
    /// (`SearchData`), gives every input's backbone network its trained weights (`BackboneWeights`: loaded, or
    /// trained first and saved in `config.weightsDir`), then searches to the last generation.
    /// - Parameter resume: continue from the last `generations/NNN.json` instead of starting afresh.
    /// - Returns: the final state.
    /// - Throws: `HNASError` for an unknown plugin, a dataset folder of another layout (naming what is missing),
    ///   bad weights, or failures of the evaluation and the file writes.
    @discardableResult
    public func run(resume: Bool) throws -> SearchState {
        let (pipeline, data, networks) = try prepare()
        return try run(data: data, networks: networks, options: SupernetSearchEvaluator.Options(pipeline: pipeline, fusion: config.fusionOptions),
                       resume: resume)
    }

    /// What a run works on: the registered pipeline `config.dataset`, its splits of `config.data` (`SearchData`)
    /// and every input's backbone network with its trained weights (`BackboneWeights`: loaded, or trained first
    /// and saved in `config.weightsDir`).
    /// - Throws: `HNASError` for an unknown plugin, a dataset folder of another layout (naming what is missing),
    ///   or bad weights.
    public func prepare() throws -> (pipeline: any Pipeline, data: SearchData, networks: [any BackboneNetwork]) {
        let pipeline = try registry.pipelines.make(config.dataset)
        let clock = Date()
        let root = URL(fileURLWithPath: config.data)
        guard FileManager.default.fileExists(atPath: root.path) else {
            throw HNASError.file(config.data, "missing dataset folder", why: "no such file or directory")
        }
        let source = try pipeline.open(root: root, registry: registry)
        let data = try SearchData.load(source, pipeline: pipeline, validationFraction: config.fusionOptions.selectionHoldout,
                                       threads: Parallel.threads)
        log("data: \(data.train[0].count) train / \(data.validation?[0].count ?? 0) validation"
            + "\(data.validationSource.map { " (\($0))" } ?? "") / \(data.test[0].count) test samples, "
            + "inputs \(zip(data.inputs, data.train).map { "\($0.0) \($0.1.sampleShape)\($0.1.isStreamed ? " streamed" : "")" }.joined(separator: ", ")) "
            + "(\(Self.duration(Date().timeIntervalSince(clock))), \(Parallel.threads) thread(s))")
        var networks: [any BackboneNetwork] = []
        for (m, input) in pipeline.inputs.enumerated() {
            let network = try registry.backbones.make(input.backbone).makeNetwork(seed: config.seed)
            let file = config.fixedWeights?[input.modality].map { URL(fileURLWithPath: $0) }
            supernetSeconds += try BackboneWeights.provide(
                network, dataset: config.dataset, input: m, data: data, directory: URL(fileURLWithPath: config.weightsDir), file: file,
                epochs: network.isFixed ? config.fixedEpochs ?? pipeline.budget.fixedEpochs : config.supernetEpochs,
                seed: config.seed, log: log, warn: log)
            networks.append(network)
        }
        try flushLog()
        return (pipeline, data, networks)
    }

    /// Runs the search to its last generation on `data` with the trained `networks` (one per input, pairing order).
    /// - Parameter options: the evaluator's options (`config.calibrationBatches` replaces their calibration batch count).
    /// - Returns: the final state.
    /// - Throws: `HNASError` from the plugins, the evaluation or the file writes.
    @discardableResult
    public func run(data: SearchData, networks: [any BackboneNetwork], options: SupernetSearchEvaluator.Options,
                    resume: Bool) throws -> SearchState {
        let strategy = try registry.searchStrategies.make(config.search)
        var options = options
        options.calibrationBatches = config.calibrationBatches
        let fusionSearch = try registry.fusionSearches.make(config.fusion)
        let evaluator = try SupernetSearchEvaluator(networks: networks, data: data,
                                                    hardware: try registry.hardwareModel(config.hardware, pricingFusionOf: fusionSearch),
                                                    fusionSearch: fusionSearch, options: options)
        let format = fusionSearch as? any FusionGenotypeFormat
        var state = try initialState(strategy: strategy, evaluator: evaluator, resume: resume)
        let total = state.settings.generations
        let started = Date()
        var generationsRun = 0
        while !state.isFinished {
            let generation = state.generation
            var evaluations = 0
            evaluator.log = { [unowned self] line in
                if !line.hasPrefix("    ") {
                    evaluations += 1
                    log("[generation \(generation + 1)/\(total) · evaluation \(evaluations)] " + line.trimmingCharacters(in: .whitespaces))
                    try? flushLog()
                } else {
                    log(line)
                }
            }
            log("generation \(generation + 1)/\(total): \(config.search) search, population \(state.settings.parentPopulationSize), "
                + "\(state.settings.innerSurvivors) fusion search(es) with \(config.fusion)")
            state = try strategy.step(state, evaluator: evaluator)
            generationsRun += 1
            // Results first: the generation file marks the generation done, so a kill in between redoes it on --resume.
            try writeResults(state, data: data, evaluator: evaluator, format: format)
            try directory.writeGeneration(state)
            let elapsed = Date().timeIntervalSince(started)
            let eta = elapsed / Double(generationsRun) * Double(total - state.generation)
            let best = state.paretoFront.map { state.archive[$0].accuracy }.max() ?? 0
            log(String(format: "generation %d/%d done: %d candidates evaluated, front %d (best %.2f%%), elapsed %@, ETA %@",
                       state.generation, total, state.archive.count, state.paretoFront.count, best,
                       Self.duration(elapsed), Self.duration(eta)))
            try flushLog()
        }
        if generationsRun == 0 {
            // A resumed run that was already finished: its results may predate the last generation file.
            try writeResults(state, data: data, evaluator: evaluator, format: format)
        }
        timings = evaluator.timings
        return state
    }

    /// `pareto.csv`, `pareto.svg`, `best/` and the best models' backbone weights of `state` (idempotent).
    private func writeResults(_ state: SearchState, data: SearchData, evaluator: SupernetSearchEvaluator,
                              format: (any FusionGenotypeFormat)?) throws {
        let searchedNames = evaluator.searched.map { data.inputs[$0] }
        try directory.writeResults(state, dataset: config.dataset, modalities: searchedNames, inputNames: evaluator.inputNames, format: format)
        try directory.writeBestWeights(state, inputs: data.inputs) { try evaluator.candidateNetworks($0) }
        let classNames = (try? registry.pipelines.make(config.dataset))?.classNames ?? (0..<data.classes).map { "\($0)" }
        try directory.writeBestModels(state) { result in
            let (fusion, metric) = try evaluator.trainedFusion(.init(configs: result.backbones, macro: result.macro),
                                                               genotype: result.fusion.genotype, seed: config.seed)
            return (fusion, try evaluator.manifest(result.backbones, dataset: config.dataset, classNames: classNames, testMetric: metric,
                                                   cost: result.cost, device: config.hardware))
        }
        evaluator.releaseFusionModels(keeping: Set(state.paretoFront.map {
            SupernetSearchEvaluator.FusionCandidate(configs: state.archive[$0].backbones, macro: state.archive[$0].macro)
        }))
    }

    /// `42.0 s` below 90 s, else `12m05s`.
    public static func duration(_ s: Double) -> String {
        s < 90 ? String(format: "%.1f s", s) : String(format: "%dm%02ds", Int(s) / 60, Int(s) % 60)
    }
}

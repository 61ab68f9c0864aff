import Foundation
import HNASKit

/// Drives one `hnas search` run over its run directory: builds the evaluator from the trained supernets,
/// starts (or resumes from the last `generations/NNN.json`) the registered strategy, writes the state and
/// the results after every generation, and reports progress with an ETA.
///
/// Distributed (a `communicator` of several processes): every process loads the data and the weights and
/// checks that it holds the same config, data and weights as rank 0; rank 0 runs the search (`run`) and
/// owns the run directory and every file, the others `serve` its evaluations (`DistributedSearchEvaluator`).
/// The results do not depend on the process count.
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
    /// The processes of a distributed run (nil: this process alone).
    public var communicator: Communicator?
    /// Whether this process writes the run's files and progress (rank 0, or the only process).
    private var writesFiles: Bool { communicator?.isRoot ?? true }
    /// Message kind: rank 0 has provided the weights (trained them if missing).
    private static let weightsReadyTag = 73

    public init(config: SearchRunConfig, directory: SearchRunDirectory, registry: Registry) {
        self.config = config
        self.directory = directory
        self.registry = registry
        logText = (try? FileContents.read(directory.logURL, "cannot read log")).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// Logs one line to stderr and the log file (flushed on the next `flushLog`).
    public func log(_ line: String) {
        guard writesFiles else { return }
        echo(line)
        record(line)
    }

    /// Adds `text` to the log file only (e.g. the summary the CLI prints on stdout).
    public func record(_ text: String) {
        logText += text + "\n"
    }

    public func flushLog() throws {
        guard writesFiles else { return }
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
        // Nothing is written before every input is open: the data and the weights already trained are loaded
        // first, then the folder is claimed (marker first) and `config.json` written, then missing weights trained.
        let (pipeline, data, networks) = try prepare { [directory, config] in
            try directory.claim(resumed: resume)
            if !resume { try directory.writeConfig(config) }
        }
        return try run(data: data, networks: networks, options: SupernetSearchEvaluator.Options(pipeline: pipeline, fusion: config.fusionOptions),
                       resume: resume)
    }

    /// Ranks > 0 of a distributed run: loads the data and weights as rank 0 does, checks them against rank 0's,
    /// then evaluates what rank 0's search sends until it ends.
    /// - Throws: `HNASError` as `run`, or `CollectiveError` when this process's config, data or weights differ from rank 0's.
    public func serve() throws {
        guard let communicator, !communicator.isRoot else { throw HNASError.argument("--distributed", why: "only ranks other than 0 serve") }
        let (pipeline, data, networks) = try prepare()
        let local = try makeEvaluator(data: data, networks: networks,
                                      options: SupernetSearchEvaluator.Options(pipeline: pipeline, fusion: config.fusionOptions))
        let distributed = DistributedSearchEvaluator(local: local, communicator: communicator)
        local.log = distributed.capture
        distributed.serve()
    }

    /// What a run works on: the registered pipeline `config.dataset`, its splits of `config.data` (`SearchData`,
    /// `config.samples` of each when set) and every input's backbone network with its trained weights
    /// (`BackboneWeights`: loaded, or trained first and saved in `config.weightsDir`). Distributed, rank 0
    /// provides the weights first and the others then load them, and every process is checked against rank 0.
    /// - Parameter beforeWriting: called once the data and the already trained weights are loaded and before
    ///   anything is written (missing weights trained, the log flushed): where a run claims its directory.
    /// - Throws: `HNASError` for an unknown plugin, a dataset folder of another layout (naming what is missing),
    ///   or bad weights; `CollectiveError` when the processes disagree.
    public func prepare(beforeWriting: () throws -> Void = {}) throws
        -> (pipeline: any Pipeline, data: SearchData, networks: [any BackboneNetwork]) {
        let pipeline = try registry.pipelines.make(config.dataset)
        if let communicator { try requireSameSettings(over: communicator) }
        let clock = Date()
        let root = URL(fileURLWithPath: config.data)
        guard FileManager.default.fileExists(atPath: root.path) else {
            throw HNASError.file(config.data, "missing dataset folder", why: "no such file or directory")
        }
        let opened = try pipeline.open(root: root, registry: registry)
        let source = config.samples.map { opened.subset(samplesPerSplit: $0) } ?? opened
        let data = try SearchData.load(source, pipeline: pipeline, validationFraction: config.fusionOptions.selectionHoldout,
                                       threads: Parallel.threads)
        log("data: \(data.train[0].count) train / \(data.validation?[0].count ?? 0) validation"
            + "\(data.validationSource.map { " (\($0))" } ?? "") / \(data.test[0].count) test samples, "
            + "inputs \(zip(data.inputs, data.train).map { "\($0.0) \($0.1.sampleShape)\($0.1.isStreamed ? " streamed" : "")" }.joined(separator: ", ")) "
            + "(\(Self.duration(Date().timeIntervalSince(clock))), \(Parallel.threads) thread(s))")
        let networks = try pipeline.inputs.map { try registry.backbones.make($0.backbone).makeNetwork(seed: config.seed) }
        let directory = URL(fileURLWithPath: config.weightsDir)
        let files = pipeline.inputs.map { input in config.fixedWeights?[input.modality].map { URL(fileURLWithPath: $0) } }
        if let communicator, !communicator.isRoot {
            // Rank 0 provides the weights first; loading must not fall back to training (and writing) here.
            _ = communicator.receive(tag: Self.weightsReadyTag)
            for (m, input) in pipeline.inputs.enumerated() where files[m] == nil {
                let url = directory.appendingPathComponent(BackboneWeights.fileName(dataset: config.dataset, modality: input.modality))
                guard FileManager.default.fileExists(atPath: url.path) else {
                    throw HNASError.file(url.path, "missing weights", why: "rank 0 provided them there; every process must see the same weights folder")
                }
            }
        }
        let trained = pipeline.inputs.indices.map {
            BackboneWeights.isTrained(dataset: config.dataset, modality: data.inputs[$0], directory: directory, file: files[$0])
        }
        for pass in [true, false] {
            if !pass { try beforeWriting() }
            for (m, network) in networks.enumerated() where trained[m] == pass {
                supernetSeconds += try BackboneWeights.provide(
                    network, dataset: config.dataset, input: m, data: data, directory: directory, file: files[m],
                    epochs: network.isFixed ? config.fixedEpochs ?? pipeline.budget.fixedEpochs : config.supernetEpochs,
                    seed: config.seed, maximumBatchSize: pipeline.batchSize, log: log, warn: log)
            }
        }
        StoragePool.drain() // the training batches' buffers; evaluation uses other shapes
        if let communicator {
            if communicator.isRoot { for rank in 1..<communicator.size { communicator.send([], to: rank, tag: Self.weightsReadyTag) } }
            try requireAgreement(data: data, networks: networks, over: communicator)
        }
        try flushLog()
        return (pipeline, data, networks)
    }

    /// Checks that every process has rank 0's config (before any work).
    /// - Throws: `CollectiveError` naming the first rank that differs.
    private func requireSameSettings(over communicator: Communicator) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var settings = Fingerprint()
        settings.add(String(decoding: try encoder.encode(config), as: UTF8.self))
        try communicator.requireSame("search settings", fingerprint: settings)
    }

    /// Checks that every process has rank 0's data sizes and labels, and network weights.
    /// - Throws: `CollectiveError` naming the first rank that differs.
    private func requireAgreement(data: SearchData, networks: [any BackboneNetwork], over communicator: Communicator) throws {
        var samples = Fingerprint()
        for split in [data.train, data.validation ?? [], data.test] {
            for input in split { samples.add("\(input.count) \(input.sampleShape) \(input.labels)") }
        }
        try communicator.requireSame("data", fingerprint: samples)
        var weights = Fingerprint()
        for network in networks {
            guard let module = network as? Module else { continue }
            weights.add(module)
        }
        try communicator.requireSame("weights", fingerprint: weights)
    }

    /// Runs the search to its last generation on `data` with the trained `networks` (one per input, pairing order).
    /// - Parameter options: the evaluator's options (`config.calibrationBatches` replaces their calibration batch count).
    /// - Returns: the final state.
    /// - Throws: `HNASError` from the plugins, the evaluation or the file writes.
    @discardableResult
    public func run(data: SearchData, networks: [any BackboneNetwork], options: SupernetSearchEvaluator.Options,
                    resume: Bool) throws -> SearchState {
        let strategy = try registry.searchStrategies.make(config.search)
        let local = try makeEvaluator(data: data, networks: networks, options: options)
        let format = try registry.fusionSearches.make(config.fusion) as? any FusionGenotypeFormat
        let distributed = communicator.map { DistributedSearchEvaluator(local: local, communicator: $0) }
        if let distributed { local.log = distributed.capture }
        /// Where the evaluations' log lines go: this process's evaluator, or, distributed, rank 0's replay in request order.
        func setLog(_ log: @escaping (String) -> Void) {
            if let distributed { distributed.log = log } else { local.log = log }
        }
        let evaluator: any SearchEvaluator = distributed ?? local
        defer { distributed?.stop() }
        var state = try initialState(strategy: strategy, evaluator: evaluator, resume: resume)
        let total = state.settings.generations
        let started = Date()
        var generationsRun = 0
        while !state.isFinished {
            let generation = state.generation
            var evaluations = 0
            setLog { [unowned self] line in
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
            try writeResults(state, data: data, evaluator: local, format: format)
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
            try writeResults(state, data: data, evaluator: local, format: format)
        }
        timings = local.timings
        if let distributed {
            // Wall time of the distributed batches; rank 0's own feature extraction happened inside its fusion batches.
            timings.unimodal = distributed.backboneSeconds
            timings.fusion = max(0, distributed.fusionSeconds - timings.features)
        }
        return state
    }

    /// The evaluator of `networks` on `data` with the run's hardware model and fusion search
    /// (`config.calibrationBatches` replaces the options' calibration batch count).
    private func makeEvaluator(data: SearchData, networks: [any BackboneNetwork], options: SupernetSearchEvaluator.Options) throws
        -> SupernetSearchEvaluator {
        var options = options
        options.calibrationBatches = config.calibrationBatches
        let fusionSearch = try registry.fusionSearches.make(config.fusion)
        return try SupernetSearchEvaluator(networks: networks, data: data,
                                           hardware: try registry.hardwareModel(config.hardware, pricingFusionOf: fusionSearch),
                                           fusionSearch: fusionSearch, options: options)
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

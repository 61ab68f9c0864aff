import Foundation
import HNASKit
import SearchEvolution

/// Drives one `hnas search` run over its run directory: builds the evaluator from the trained supernets,
/// starts (or resumes from the last `generations/NNN.json`) the registered strategy, writes the state and
/// the results after every generation, and reports progress with an ETA.
final class SearchRunner {
    let config: SearchRunConfig
    let directory: SearchRunDirectory
    let registry: Registry
    /// Everything logged, mirrored to `log.txt` (rewritten atomically after every evaluation).
    private var logText = ""
    /// Where progress lines go besides the log file (stderr in the CLI).
    var echo: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    private(set) var timings = SupernetSearchEvaluator.Timings()
    /// Seconds spent training supernets in this run (added by the caller).
    var supernetSeconds = 0.0

    init(config: SearchRunConfig, directory: SearchRunDirectory, registry: Registry) {
        self.config = config
        self.directory = directory
        self.registry = registry
        logText = (try? FileContents.read(directory.logURL, "cannot read log")).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// Logs one line to stderr and the log file (flushed on the next `flushLog`).
    func log(_ line: String) {
        echo(line)
        record(line)
    }

    /// Adds `text` to the log file only (e.g. the summary the CLI prints on stdout).
    func record(_ text: String) {
        logText += text + "\n"
    }

    func flushLog() throws {
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

    /// Runs the search to its last generation on `data` with the trained `supernets` (one per searched input).
    /// - Returns: the final state.
    /// - Throws: `HNASError` from the plugins, the evaluation or the file writes.
    @discardableResult
    func run(data: SearchData, supernets: [OFAMobileNetV3], resume: Bool) throws -> SearchState {
        let strategy = try registry.searchStrategies.make(config.search)
        var options = SupernetSearchEvaluator.Options(dataset: config.dataset, fusion: config.fusionOptions, modalities: data.inputs)
        options.calibrationBatches = config.calibrationBatches
        let evaluator = try SupernetSearchEvaluator(supernets: supernets, data: data,
                                                    hardware: try registry.hardwareModels.make(config.hardware),
                                                    fusionSearch: try registry.fusionSearches.make(config.fusion), options: options)
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
            try writeResults(state, data: data, evaluator: evaluator)
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
            try writeResults(state, data: data, evaluator: evaluator)
        }
        timings = evaluator.timings
        return state
    }

    /// `pareto.csv`, `pareto.svg`, `best/` and the best subnets' weights of `state` (idempotent).
    private func writeResults(_ state: SearchState, data: SearchData, evaluator: SupernetSearchEvaluator) throws {
        try directory.writeResults(state, dataset: config.dataset, modalities: data.inputs, featureCount: evaluator.options.featureCount)
        try directory.writeBestWeights(state, modalities: data.inputs) { try evaluator.subnet($0, modality: $1) }
    }

    /// One line of the summary table: the id left-aligned, numbers right-aligned, the macro last.
    private static func row(_ cells: [String]) -> String {
        func pad(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        return "  " + cells[0].padding(toLength: 12, withPad: " ", startingAt: 0)
            + zip(cells[1..<5], [8, 8, 11, 10]).map { pad($0.0, $0.1) }.joined(separator: " ") + "  " + cells[5]
    }

    /// `42.0 s` below 90 s, else `12m05s`.
    static func duration(_ s: Double) -> String {
        s < 90 ? String(format: "%.1f s", s) : String(format: "%dm%02ds", Int(s) / 60, Int(s) % 60)
    }

    /// The hypervolume reference of a summary: 100 % error and 110 % of the worst latency and energy evaluated.
    static func reference(_ state: SearchState) -> [Double] {
        let costs = state.archive.map(\.cost)
        var reference = [100, 1.1 * (costs.map(\.latencyMs).max() ?? 0)]
        if costs.allSatisfy({ $0.energyMJ != nil }) { reference.append(1.1 * (costs.compactMap(\.energyMJ).max() ?? 0)) }
        return reference
    }

    /// The results summary printed on stdout: the front, its hypervolume and where the files are.
    func summary(_ state: SearchState) throws -> String {
        let reference = Self.reference(state)
        let hypervolume = try state.frontHypervolume(reference: reference)
        var lines = ["Pareto front after \(state.generation) generation(s), \(state.archive.count) evaluated candidates "
                     + "(\(config.search) search, \(config.fusion) fusion, \(config.hardware), protocol \(config.fusionOptions.fusionProtocol.rawValue)):",
                     Self.row(["id", "acc %", "test %", "latency ms", "energy mJ", "macro"])]
        for result in state.paretoFront.map({ state.archive[$0] }).sorted(by: { $0.cost.latencyMs < $1.cost.latencyMs }) {
            lines.append(Self.row([result.id, String(format: "%.2f", result.accuracy),
                                   result.fusion.testAccuracy.map { String(format: "%.2f", $0) } ?? "-",
                                   String(format: "%.3f", result.cost.latencyMs),
                                   result.cost.energyMJ.map { String(format: "%.3f", $0) } ?? "-", result.macro.description]))
        }
        lines.append(String(format: "hypervolume %.6g (reference: error %.0f %%, latency %.4g ms%@)", hypervolume, reference[0], reference[1],
                            reference.count > 2 ? String(format: ", energy %.4g mJ", reference[2]) : ""))
        lines.append(String(format: "time: supernet training %@, unimodal evaluation %@, fusion features %@, fusion searches %@",
                            Self.duration(supernetSeconds), Self.duration(timings.unimodal), Self.duration(timings.features),
                            Self.duration(timings.fusion)))
        lines.append("results: \(directory.root.path)/{pareto.csv, pareto.svg, best/, generations/, log.txt}")
        return lines.joined(separator: "\n")
    }
}

import Foundation
import HNASKit

/// What `SearchRunner.best` built and measured.
public struct BestModelReport: Codable, Sendable {
    public var dataset: String
    /// The test metric in percent of the whole model (top-1 accuracy, or weighted F1 when multi-label).
    public var metric: Double
    public var metricName: String
    /// The unimodal test metric of each searched backbone, by input.
    public var backboneMetrics: [String: Double]
    /// Latency and energy of the backbones and the fusion network together, on `device`.
    public var cost: Cost
    public var device: String
    public var genotype: String
    /// Whether the genotype was given (`--genotype-only`) rather than searched.
    public var genotypeGiven: Bool
    public var notes: [String]
}

extension SearchRunner {
    /// The original's `best_mm_model_<dataset>.py`: the backbones (`architecture.backbones`) and the fusion
    /// macro-architecture (`fusion.steps`, `fusion.node_steps`) come from the architecture; the fusion
    /// micro-architecture is searched again (or, with `genotypeOnly`, the given genotype is used) and the fusion
    /// network retrained; the whole model is measured on the test split and written as a model directory
    /// (`ModelManifest`) into `config.weightsDir`'s sibling `out` — staged in a temporary folder and renamed, so
    /// nothing is left on failure.
    /// Everything that needs no data — `out`, the architecture (each searched backbone in its space, the fusion part and,
    /// with `genotypeOnly`, the genotype as the fusion plugin reads it),
    /// the fusion search and hardware plugins — is checked before the data is loaded or any weights are trained.
    /// - Throws: `HNASError` naming the field of an architecture that lacks a backbone, the fusion macro or (with
    ///   `genotypeOnly`) the genotype; an existing `out`; or failures of the data, weights and training.
    public func best(_ architecture: Architecture, genotypeOnly: Bool, out: URL) throws -> BestModelReport {
        guard !FileManager.default.fileExists(atPath: out.path) else {
            throw HNASError.file(out.path, "will not overwrite", why: "the output folder exists (choose another --out)")
        }
        guard let macroArchitecture = architecture.fusion else {
            throw HNASError.argument("fusion", why: "missing: the architecture needs fusion.steps and fusion.node_steps")
        }
        try macroArchitecture.validate()
        if genotypeOnly, macroArchitecture.genotype == nil {
            throw HNASError.argument("fusion.genotype", why: "missing: --genotype-only trains the given genotype")
        }
        if let recorded = architecture.dataset, recorded != config.dataset {
            throw HNASError.argument("dataset", why: "the architecture is for '\(recorded)', not '\(config.dataset)'")
        }
        let searchedBackbones = try registry.pipelines.make(config.dataset).searchedInputs.map { ($0.modality, try registry.backbones.make($0.backbone)) }
        try architecture.validate(backbones: Dictionary(uniqueKeysWithValues: searchedBackbones))
        let fusionSearch = try registry.fusionSearches.make(config.fusion)
        if genotypeOnly { _ = try fusionSearch.operators(of: macroArchitecture) }  // the plugin reads (and checks) the genotype
        let hardware = try registry.hardwareModel(config.hardware, pricingFusionOf: fusionSearch)
        let (pipeline, data, networks) = try prepare()
        var options = SupernetSearchEvaluator.Options(pipeline: pipeline, fusion: config.fusionOptions)
        options.calibrationBatches = config.calibrationBatches
        let evaluator = try SupernetSearchEvaluator(networks: networks, data: data, hardware: hardware, fusionSearch: fusionSearch,
                                                    options: options)
        evaluator.log = { [unowned self] in log($0) }
        // `validate(backbones:)` above made sure every searched input has its config.
        let configs = evaluator.searched.map { architecture.backbones[data.inputs[$0]]! }
        var cost = Cost.zero, backboneMetrics: [String: Double] = [:]
        for (m, config) in configs.enumerated() {
            cost = cost + (try evaluator.evaluateBackbone(config, modality: m, seed: self.config.seed)).cost
            backboneMetrics[data.inputs[evaluator.searched[m]]] = try evaluator.testAccuracy(config, modality: m)
        }
        let macro = FusionMacro(cells: macroArchitecture.steps, nodes: macroArchitecture.nodeSteps)
        let problem = try evaluator.fusionProblem(configs, macro: macro)
        var fusionOptions = config.fusionOptions
        fusionOptions.seed = self.config.seed
        let progress: (String) -> Void = { [unowned self] in log("  " + $0) }
        var result = genotypeOnly
            ? try fusionSearch.retrain(macroArchitecture, on: problem, options: fusionOptions, hardware: hardware, progress: progress)
            : try fusionSearch.search(problem, options: fusionOptions, hardware: hardware, progress: progress)
        if result.model == nil {
            log("retraining the derived fusion network of \(result.genotypeText)")
            let notes = result.notes
            result = try fusionSearch.retrain(result.architecture, on: problem, options: fusionOptions, hardware: hardware, progress: progress)
            result.notes = notes + result.notes
        }
        guard let fusion = result.model else {
            throw HNASError.argument("fusion network", why: "retraining \(result.genotypeText) completed no epoch")
        }
        cost = cost + (result.cost?.total ?? .zero)
        let metric = try SupernetSearchEvaluator.metric(try fusion.logits(problem.test.features), problem.test.labels)
        let manifest = try evaluator.manifest(configs, dataset: config.dataset, classNames: pipeline.classNames, testMetric: metric,
                                              cost: cost, device: config.hardware)

        // Staged beside `out`, then renamed: a failure leaves nothing, a kill a staging folder the next `best` removes.
        try AtomicFolder.write(out, "cannot write model directory") { staging in
            let searchedNames = evaluator.searched.map { data.inputs[$0] }
            let written = Architecture(dataset: config.dataset, backbones: Dictionary(uniqueKeysWithValues: zip(searchedNames, configs)),
                                       fusion: result.architecture)
            try SearchRunDirectory.writeAtomically(try written.encoded(), to: staging.appendingPathComponent("arch.json"))
            for ((network, input), name) in zip(zip(try evaluator.candidateNetworks(configs), manifest.inputs), data.inputs) {
                try network.save(to: staging.appendingPathComponent(input.weights),
                                 metadata: ["modality": name, "config": network.isFixed ? "fixed" : input.config.description])
            }
            try FusionModelFile.save(fusion, to: staging.appendingPathComponent(manifest.fusion))
            try SearchRunDirectory.writeAtomically(Data(try fusion.dot(inputNames: evaluator.inputNames).utf8),
                                                   to: staging.appendingPathComponent("fusion.dot"))
            try manifest.write(into: staging)
        }
        return BestModelReport(dataset: config.dataset, metric: metric, metricName: manifest.metricName, backboneMetrics: backboneMetrics,
                               cost: cost, device: config.hardware, genotype: result.genotypeText, genotypeGiven: genotypeOnly,
                               notes: result.notes)
    }
}

import HNASKit

/// The `darts` fusion search: first-order DARTS over the fusion supernet (`BilevelSearch`), then
///
/// - `sound`: the derived network is retrained from scratch and its test metric reported
///   (selection on validation, test once);
/// - `original`: the relaxed supernet's best test metric over epochs is reported, as the original
///   does (SPEC-fusion §6.4) — no retraining.
///
/// The fusion cost is the genotype's operators priced by the hardware model's fusion table (§7.4).
public struct DARTSFusionSearch: GenotypeFusionSearch {
    public let name = "darts"

    public init() {}

    public func search(_ problem: FusionProblem, options: FusionSearchOptions, hardware: (any HardwareModel)?,
                       progress: ((String) -> Void)?) throws -> FusionSearchResult {
        let prepared = try PreparedProblem(problem, options: options)
        var generator = SeededGenerator(seed: options.seed)
        let term = try hardware.map { try HardwareTerm(hardware: $0, fusionProtocol: options.fusionProtocol) }
        let searched = try BilevelSearch(problem: prepared, hardware: term).run(generator: &generator, progress: progress)
        switch options.fusionProtocol {
        case .original:
            return FusionSearchResult(architecture: FusionArchitecture(steps: problem.steps, nodeSteps: problem.nodeSteps, genotype: searched.genotype),
                                      genotypeText: searched.genotype.pythonRepr, model: nil,
                                      metric: searched.selectionMetric, selectionMetric: searched.selectionMetric,
                                      cost: try hardware?.fusionCost(operators: searched.genotype.operators),
                                      history: searched.history, notes: searched.notes)
        case .sound:
            var result = try retrained(searched.genotype, prepared, generator: &generator, hardware: hardware, progress: progress)
            result.history = searched.history + result.history
            result.notes = searched.notes + result.notes
            return result
        }
    }
}

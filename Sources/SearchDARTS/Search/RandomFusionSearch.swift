import HNASKit

/// The `random` fusion search, the baseline for `darts`: a genotype drawn uniformly from the
/// derivable ones (`RandomGenotype`), retrained exactly as DARTS' derived network is
/// (`DerivedTraining`, `retrainEpochs` epochs), priced by the same fusion table.
public struct RandomFusionSearch: GenotypeFusionSearch {
    public let name = "random"

    public init() {}

    public func search(_ problem: FusionProblem, options: FusionSearchOptions, hardware: (any HardwareModel)?,
                       progress: ((String) -> Void)?) throws -> FusionSearchResult {
        let prepared = try PreparedProblem(problem, options: options)
        var generator = SeededGenerator(seed: options.seed)
        let genotype = try RandomGenotype.sample(inputNodes: prepared.shape.inputNodes, steps: problem.steps,
                                                 nodeSteps: problem.nodeSteps, multiplier: options.multiplier,
                                                 generator: &generator)
        progress?("random genotype: \(genotype.pythonRepr)")
        return try retrained(genotype, prepared, generator: &generator, hardware: hardware, progress: progress)
    }
}

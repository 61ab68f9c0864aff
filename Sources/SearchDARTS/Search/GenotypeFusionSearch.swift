import HNASKit

/// A fusion search whose results are DARTS genotypes realised as `DARTSFusionModel`s (`darts` and
/// `random`): both rebuild models and read genotypes the same way.
protocol GenotypeFusionSearch: FusionSearch {}

extension GenotypeFusionSearch {
    /// The genotype's derived network retrained from scratch as `DerivedTraining` does after a search
    /// (selection and reporting by the options' protocol), priced by `hardware`.
    public func retrain(_ architecture: FusionArchitecture, on problem: FusionProblem, options: FusionSearchOptions,
                        hardware: (any HardwareModel)?, progress: ((String) -> Void)?) throws -> FusionSearchResult {
        let genotype = try FusionGenotype(architecture: architecture)
        var problem = problem
        (problem.steps, problem.nodeSteps) = (architecture.steps, architecture.nodeSteps)
        let prepared = try PreparedProblem(problem, options: options)
        var generator = SeededGenerator(seed: options.seed)
        return try retrained(genotype, prepared, generator: &generator, hardware: hardware, progress: progress)
    }

    /// `genotype`'s derived network retrained on `prepared` (`DerivedTraining`), as a result with its
    /// model and the genotype's fusion cost on `hardware`.
    func retrained(_ genotype: FusionGenotype, _ prepared: PreparedProblem, generator: inout SeededGenerator,
                   hardware: (any HardwareModel)?, progress: ((String) -> Void)?) throws -> FusionSearchResult {
        let retrained = try DerivedTraining.run(genotype, prepared, generator: &generator, progress: progress)
        return FusionSearchResult(architecture: FusionArchitecture(steps: prepared.shape.steps, nodeSteps: prepared.shape.nodeSteps,
                                                                   genotype: genotype),
                                  genotypeText: genotype.pythonRepr,
                                  model: retrained.network.map { DARTSFusionModel(network: $0, shape: prepared.shape, search: name) },
                                  metric: retrained.metric, selectionMetric: retrained.selectionMetric,
                                  cost: try hardware?.fusionCost(operators: genotype.operators),
                                  history: retrained.history, notes: retrained.notes)
    }

    public func model(_ spec: FusionModelSpec) throws -> any FusionModel { try DARTSFusionModel(spec: spec) }

    public func operators(of architecture: FusionArchitecture) throws -> [String] {
        try FusionGenotype(architecture: architecture).operators
    }
}

extension FusionSearchResult {
    /// The DARTS genotype of a result of the `darts` or `random` search (callers that know only
    /// HNASKit use `architecture`, `genotypeText` and `model`).
    /// - Precondition: the result comes from one of those searches (a programmer error otherwise).
    public var genotype: FusionGenotype {
        do { return try FusionGenotype(architecture: architecture) } catch {
            preconditionFailure("not a DARTS genotype result: \(error)")
        }
    }
}

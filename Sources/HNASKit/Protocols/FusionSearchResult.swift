/// What a fusion search returns: the genotype, its metric and its fusion cost.
public struct FusionSearchResult: Codable, Sendable {
    /// One epoch of a search or retraining, as logged.
    public struct Epoch: Codable, Sendable {
        public var phase: String
        public var epoch: Int
        /// Mean loss per sample; `nil` when it was NaN or infinite (JSON has no NaN).
        public var loss: Double?
        /// The epoch's metric in percent, `nil` for a pass that measures none (weight training).
        public var metric: Double?

        public init(phase: String, epoch: Int, loss: Double, metric: Double?) {
            self.phase = phase
            self.epoch = epoch
            self.loss = loss.isFinite ? loss : nil
            self.metric = metric
        }
    }

    public var genotype: FusionGenotype
    /// The reported metric in percent (accuracy, or weighted F1 for multi-label): the test metric
    /// of the retrained derived network (`sound`, and `random`), or the relaxed supernet's best test
    /// metric over epochs (`original` DARTS, as the original reports it).
    public var metric: Double
    /// The selection metric in percent (validation in `sound`; equal to `metric` in `original`).
    public var selectionMetric: Double
    /// Latency/energy of the genotype's operators on the hardware model, `nil` without one.
    public var cost: CostReport?
    /// Per-epoch log.
    public var history: [Epoch]
    /// Things the caller should know (fallbacks taken, NaN aborts).
    public var notes: [String]

    public init(genotype: FusionGenotype, metric: Double, selectionMetric: Double, cost: CostReport?,
                history: [Epoch], notes: [String]) {
        self.genotype = genotype
        self.metric = metric
        self.selectionMetric = selectionMetric
        self.cost = cost
        self.history = history
        self.notes = notes
    }
}

extension FusionSearchResult {
    /// The record the outer search keeps (`SearchEvaluator.evaluateFusion`): metric, the fusion
    /// operators' cost (zero without a hardware model) and the genotype's printed form.
    public var evaluation: FusionEvaluation {
        FusionEvaluation(accuracy: metric, fusionCost: cost?.total ?? .zero, genotype: genotype.pythonRepr)
    }
}

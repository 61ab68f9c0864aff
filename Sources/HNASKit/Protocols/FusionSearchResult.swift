/// What a fusion search returns: the found architecture, the trained fusion network, its metric and
/// its fusion cost.
public struct FusionSearchResult {
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

    /// The macro-architecture and the found genotype (in the plugin's format, see `FusionArchitecture`).
    public var architecture: FusionArchitecture
    /// The genotype as printed (the original's `Genotype(...)` string for DARTS).
    public var genotypeText: String
    /// The trained fusion network whose metric is `metric` (weights included, so it can be saved and
    /// rebuilt), or `nil` when the search reports a metric of no derived network — DARTS under
    /// `--protocol original` reports the relaxed supernet's, as the original does.
    public var model: (any FusionModel)?
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

    public init(architecture: FusionArchitecture, genotypeText: String, model: (any FusionModel)?, metric: Double,
                selectionMetric: Double, cost: CostReport?, history: [Epoch], notes: [String]) {
        self.architecture = architecture
        self.genotypeText = genotypeText
        self.model = model
        self.metric = metric
        self.selectionMetric = selectionMetric
        self.cost = cost
        self.history = history
        self.notes = notes
    }
}

extension FusionSearchResult: Encodable {
    enum CodingKeys: String, CodingKey {
        case architecture, genotype, model, metric, selectionMetric, cost, history, notes
    }

    /// The result as JSON: the architecture, the genotype text, the model's spec (not its weights), the
    /// metrics, the cost, the history and the notes.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(architecture, forKey: .architecture)
        try container.encode(genotypeText, forKey: .genotype)
        try container.encodeIfPresent(model?.spec, forKey: .model)
        try container.encode(metric, forKey: .metric)
        try container.encode(selectionMetric, forKey: .selectionMetric)
        try container.encodeIfPresent(cost, forKey: .cost)
        try container.encode(history, forKey: .history)
        try container.encode(notes, forKey: .notes)
    }
}

extension FusionSearchResult {
    /// The record the outer search keeps (`SearchEvaluator.evaluateFusion`): metric, the fusion
    /// operators' cost (zero without a hardware model) and the genotype's printed form.
    public var evaluation: FusionEvaluation {
        FusionEvaluation(accuracy: metric, fusionCost: cost?.total ?? .zero, genotype: genotypeText)
    }
}

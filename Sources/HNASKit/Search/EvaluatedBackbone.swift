/// One backbone after unimodal evaluation (a row of the original's `Init_B1`/`Init_B2` files).
public struct EvaluatedBackbone: Equatable, Codable, Sendable {
    /// The searched modality (index into the evaluator's `backbones`).
    public var modality: Int
    public var config: BackboneConfig
    public var evaluation: BackboneEvaluation
    /// The non-domination rank it got in the inner selection (0 = first front), `nil` when the
    /// selection stopped before ranking it (as pymoo's does).
    public var rank: Int?

    public init(modality: Int, config: BackboneConfig, evaluation: BackboneEvaluation, rank: Int? = nil) {
        self.modality = modality
        self.config = config
        self.evaluation = evaluation
        self.rank = rank
    }
}

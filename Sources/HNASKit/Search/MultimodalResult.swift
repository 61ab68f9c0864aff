/// One evaluated multimodal candidate (a row of the original's `Fusion_Popu_Results`): its backbones,
/// their unimodal results, the fusion macro-architecture and the fusion search's result.
///
/// Objectives, all minimised, are the original's: `100 − accuracy`, total latency, total energy, where the
/// totals add the searched backbones' costs and the fusion operators' cost (the fixed text network of
/// MM-IMDB/Memes is not counted, as in the original).
public struct MultimodalResult: Equatable, Codable, Sendable {
    /// `evo_{generation}_{index}`.
    public var id: String
    public var generation: Int
    public var backbones: [BackboneConfig]
    public var backboneEvaluations: [BackboneEvaluation]
    public var macro: FusionMacro
    public var fusion: FusionEvaluation
    /// The outer selection's non-domination rank within its generation, `nil` when not ranked.
    public var rank: Int?

    public init(id: String, generation: Int, backbones: [BackboneConfig], backboneEvaluations: [BackboneEvaluation],
                macro: FusionMacro, fusion: FusionEvaluation, rank: Int? = nil) {
        self.id = id
        self.generation = generation
        self.backbones = backbones
        self.backboneEvaluations = backboneEvaluations
        self.macro = macro
        self.fusion = fusion
        self.rank = rank
    }

    /// Multimodal accuracy in percent.
    public var accuracy: Double { fusion.accuracy }

    /// Backbones plus fusion operators, summed as the original does.
    public var cost: Cost { backboneEvaluations.reduce(fusion.fusionCost) { $0 + $1.cost } }
}

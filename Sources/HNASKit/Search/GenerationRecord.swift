/// What happened in one generation, enough to write the original's per-generation files
/// (`Init_B*`, `Elites_B*`, `Fusion_Popu_Results`, `Elites_MM`).
public struct GenerationRecord: Equatable, Codable, Sendable {
    public var generation: Int
    /// Per searched modality, the evaluated backbones in evaluation order.
    public var backbones: [[EvaluatedBackbone]]
    /// Per searched modality, indices into `backbones[m]` of the inner survivors, in survival order
    /// (the order in which they were paired).
    public var backboneElites: [[Int]]
    /// Indices into the state's archive of this generation's multimodal results, in evaluation order.
    public var fused: [Int]
    /// Indices into the archive of the multimodal elites (parents of the next generation), in survival order.
    public var elites: [Int]

    public init(generation: Int, backbones: [[EvaluatedBackbone]], backboneElites: [[Int]], fused: [Int], elites: [Int]) {
        self.generation = generation
        self.backbones = backbones
        self.backboneElites = backboneElites
        self.fused = fused
        self.elites = elites
    }
}

/// What a `SearchStrategy` needs measured: the unimodal score and hardware cost of one backbone, and the
/// result of the fusion search on a set of frozen backbones. The end-to-end search implements it with
/// supernets, BN recalibration, a `HardwareModel` and a `FusionSearch`; tests implement it analytically.
///
/// Every call receives a `seed` drawn from the run's generator, so an evaluator that needs randomness
/// (loader shuffling, fusion weight initialisation) stays reproducible and resumable. (The original
/// re-seeds to 42 before each evaluation; an evaluator may do that instead and ignore `seed`.)
public protocol SearchEvaluator {
    /// The searched backbones, one per searched modality, in pairing order
    /// (AV-MNIST: image, audio; MM-IMDB and Memes: image only — the text network is fixed).
    var backbones: [any Backbone] { get }

    /// Unimodal evaluation of `config` on searched modality `modality` (an index into `backbones`):
    /// accuracy in percent (Acc@1, or weighted F1 × 100 for multilabel tasks) and the backbone's cost.
    func evaluateBackbone(_ config: BackboneConfig, modality: Int, seed: UInt64) throws -> BackboneEvaluation

    /// Fusion search on the frozen backbones `configs` (one per searched modality) with the fusion
    /// macro-architecture `macro`: the multimodal accuracy in percent, the cost of the fusion operators
    /// alone (the strategy adds the backbones' costs, as the original does) and the derived genotype.
    func evaluateFusion(_ configs: [BackboneConfig], macro: FusionMacro, seed: UInt64) throws -> FusionEvaluation
}

/// The result of one unimodal backbone evaluation.
public struct BackboneEvaluation: Equatable, Codable, Sendable {
    /// Unimodal accuracy in percent (0…100).
    public var accuracy: Double
    /// Latency and energy of the backbone subnet.
    public var cost: Cost

    public init(accuracy: Double, cost: Cost) {
        self.accuracy = accuracy
        self.cost = cost
    }
}

/// The result of one fusion search.
public struct FusionEvaluation: Equatable, Codable, Sendable {
    /// Multimodal accuracy in percent (0…100).
    public var accuracy: Double
    /// Cost of the fusion network's operators only (backbones excluded).
    public var fusionCost: Cost
    /// The derived genotype, as text (the original's `Genotype(...)` string).
    public var genotype: String

    public init(accuracy: Double, fusionCost: Cost, genotype: String) {
        self.accuracy = accuracy
        self.fusionCost = fusionCost
        self.genotype = genotype
    }
}

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

    /// The evaluations of a generation's independent backbone requests, in request order (default: one
    /// after the other; a distributed evaluator spreads them over processes).
    func evaluateBackbones(_ requests: [BackboneRequest]) throws -> [BackboneEvaluation]

    /// The fusion searches of a generation's independent requests, in request order (default: one after the other).
    func evaluateFusions(_ requests: [FusionRequest]) throws -> [FusionEvaluation]
}

extension SearchEvaluator {
    public func evaluateBackbones(_ requests: [BackboneRequest]) throws -> [BackboneEvaluation] {
        try requests.map { try evaluateBackbone($0.config, modality: $0.modality, seed: $0.seed) }
    }

    public func evaluateFusions(_ requests: [FusionRequest]) throws -> [FusionEvaluation] {
        try requests.map { try evaluateFusion($0.configs, macro: $0.macro, seed: $0.seed) }
    }
}

/// The arguments of one `SearchEvaluator.evaluateBackbone` call.
public struct BackboneRequest: Codable, Hashable, Sendable {
    public var config: BackboneConfig
    public var modality: Int
    public var seed: UInt64

    public init(config: BackboneConfig, modality: Int, seed: UInt64) {
        self.config = config
        self.modality = modality
        self.seed = seed
    }
}

/// The arguments of one `SearchEvaluator.evaluateFusion` call.
public struct FusionRequest: Codable, Hashable, Sendable {
    public var configs: [BackboneConfig]
    public var macro: FusionMacro
    public var seed: UInt64

    public init(configs: [BackboneConfig], macro: FusionMacro, seed: UInt64) {
        self.configs = configs
        self.macro = macro
        self.seed = seed
    }
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
    /// The test-split metric in percent when `accuracy` was selected on a validation split (protocol
    /// `sound`: reported, never used for selection); equal to `accuracy` under `original`; `nil` if unknown.
    public var testAccuracy: Double?

    public init(accuracy: Double, fusionCost: Cost, genotype: String, testAccuracy: Double? = nil) {
        self.accuracy = accuracy
        self.fusionCost = fusionCost
        self.genotype = genotype
        self.testAccuracy = testAccuracy
    }
}

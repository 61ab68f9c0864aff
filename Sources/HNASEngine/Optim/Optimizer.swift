/// Updates parameters from their accumulated gradients.
///
/// Typical step: `model.zeroGrad(); let loss = …; try loss.backward(); try optimizer.step()`.
/// Parameters without a gradient (not reached by the last backward) are left unchanged.
public protocol Optimizer: AnyObject {
    /// The step size used by the next `step()` (set it from a `LearningRateSchedule`).
    var learningRate: Float { get set }
    /// The buffers and counters carried between steps (for checkpoints).
    var state: OptimizerState { get }
    /// Applies one update to every parameter that has a gradient.
    func step() throws
    /// Replaces the state with one saved from an optimiser of the same kind over the same parameters.
    /// - Throws: `HNASError` listing slots of unknown parameters and buffers of the wrong name or shape.
    func restore(_ state: OptimizerState) throws
}

/// Which parameters weight decay applies to.
public enum WeightDecayScope: Sendable {
    /// Every parameter.
    case all
    /// Every parameter of rank ≥ 2: BatchNorm/LayerNorm weights and biases and all biases (the
    /// rank-1 parameters) are exempt, as OFA's `no_decay_keys = "bn#bias"` does.
    case exceptBatchNormAndBias
    /// As `exceptBatchNormAndBias`, and also exempting the parameters whose name ends with one of
    /// the suffixes (OFA's kernel transformation matrices, `…_matrix`, are not decayed).
    case exceptBatchNormBiasAndNames(endingWith: [String])

    func applies(to p: Parameter, named name: String) -> Bool {
        switch self {
        case .all: return true
        case .exceptBatchNormAndBias: return p.shape.count >= 2
        case .exceptBatchNormBiasAndNames(let suffixes): return p.shape.count >= 2 && !suffixes.contains { name.hasSuffix($0) }
        }
    }
}

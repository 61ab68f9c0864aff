/// Updates parameters from their accumulated gradients.
///
/// Typical step: `model.zeroGrad(); let loss = …; try loss.backward(); try optimizer.step()`.
/// Parameters without a gradient (not reached by the last backward) are left unchanged.
public protocol Optimizer: AnyObject {
    /// The step size used by the next `step()` (set it from a `LearningRateSchedule`).
    var learningRate: Float { get set }
    /// Applies one update to every parameter that has a gradient.
    func step() throws
}

/// Which parameters weight decay applies to.
public enum WeightDecayScope: Sendable {
    /// Every parameter.
    case all
    /// Every parameter of rank ≥ 2: BatchNorm/LayerNorm weights and biases and all biases (the
    /// rank-1 parameters) are exempt, as OFA's `no_decay_keys = "bn#bias"` does.
    case exceptBatchNormAndBias

    func applies(to p: Parameter) -> Bool {
        switch self {
        case .all: return true
        case .exceptBatchNormAndBias: return p.shape.count >= 2
        }
    }
}

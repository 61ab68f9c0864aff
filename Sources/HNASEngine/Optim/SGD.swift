/// Stochastic gradient descent with momentum, Nesterov momentum and L2 weight decay (PyTorch's
/// `torch.optim.SGD` update, dampening 0):
/// `d = g + wd·p; buf = μ·buf + d (buf = d at the first step); d = nesterov ? d + μ·buf : buf; p −= lr·d`.
///
/// The momentum buffers live in `state` (buffer `"momentum"` by parameter name), so a checkpoint
/// can save them and `restore(_:)` resumes bit-exactly.
public final class SGD: Optimizer {
    /// The name of the momentum buffer in `state`.
    public static let momentumBuffer = "momentum"

    public var learningRate: Float
    public let momentum: Float
    public let nesterov: Bool
    public let weightDecay: Float
    public let decayScope: WeightDecayScope
    public private(set) var state = OptimizerState()
    private let named: [(String, Parameter)]

    /// SGD over parameters keyed in `state` by the given names (e.g. `Module.namedParameters()`).
    public init(named: [(String, Parameter)], learningRate: Float, momentum: Float = 0, nesterov: Bool = false,
                weightDecay: Float = 0, decayScope: WeightDecayScope = .all) {
        self.named = named
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        self.decayScope = decayScope
    }

    /// SGD over parameters keyed in `state` by their positions ("0", "1", …).
    public convenience init(parameters: [Parameter], learningRate: Float, momentum: Float = 0, nesterov: Bool = false,
                            weightDecay: Float = 0, decayScope: WeightDecayScope = .all) {
        self.init(named: OptimizerState.positional(parameters), learningRate: learningRate, momentum: momentum,
                  nesterov: nesterov, weightDecay: weightDecay, decayScope: decayScope)
    }

    public func step() throws {
        let lr = learningRate, mu = momentum, nesterov = nesterov
        for (name, p) in named {
            guard let grad = p.grad else { continue }
            let wd = decayScope.applies(to: p, named: name) ? weightDecay : 0
            var slot = state.slots.removeValue(forKey: name) ?? OptimizerState.Slot()
            let previous = slot.buffers.removeValue(forKey: Self.momentumBuffer)
            var buf = previous ?? Tensor(zeros: p.shape)
            buf.withUnsafeMutableBufferPointer { b in
                grad.withUnsafeBufferPointer { g in
                    p.update { w in
                        Tensor.parallelChunks(w.count) { r in // element-wise: the same for any split
                            let i = r.lowerBound
                            OptimizerKernels.sgd(w.baseAddress! + i, g.baseAddress! + i, b.baseAddress! + i, count: r.count,
                                                 lr: lr, momentum: mu, weightDecay: wd, nesterov: nesterov, first: previous == nil)
                        }
                    }
                }
            }
            if mu != 0 { slot.buffers[Self.momentumBuffer] = buf }
            slot.updates += 1
            state.slots[name] = slot
        }
        state.step += 1
    }

    public func restore(_ state: OptimizerState) throws {
        try state.check(against: named, buffers: [Self.momentumBuffer])
        self.state = state
    }
}

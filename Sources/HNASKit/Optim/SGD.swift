/// Stochastic gradient descent with momentum, Nesterov momentum and L2 weight decay (PyTorch's
/// `torch.optim.SGD` update, dampening 0):
/// `d = g + wd·p; buf = μ·buf + d (buf = d at the first step); d = nesterov ? d + μ·buf : buf; p −= lr·d`.
public final class SGD: Optimizer {
    public var learningRate: Float
    public let momentum: Float
    public let nesterov: Bool
    public let weightDecay: Float
    public let decayScope: WeightDecayScope
    private let parameters: [Parameter]
    private var velocity: [ObjectIdentifier: Tensor] = [:]

    public init(parameters: [Parameter], learningRate: Float, momentum: Float = 0, nesterov: Bool = false,
                weightDecay: Float = 0, decayScope: WeightDecayScope = .all) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        self.decayScope = decayScope
    }

    public func step() throws {
        let lr = learningRate, mu = momentum, nesterov = nesterov
        for p in parameters {
            guard let grad = p.grad else { continue }
            let wd = decayScope.applies(to: p) ? weightDecay : 0
            let id = ObjectIdentifier(p)
            let first = velocity[id] == nil
            var buf = velocity.removeValue(forKey: id) ?? Tensor(zeros: p.shape)
            buf.withUnsafeMutableBufferPointer { b in
                grad.withUnsafeBufferPointer { g in
                    p.update { w in
                        OptimizerKernels.sgd(w.baseAddress!, g.baseAddress!, b.baseAddress!, count: w.count,
                                             lr: lr, momentum: mu, weightDecay: wd, nesterov: nesterov, first: first)
                    }
                }
            }
            if mu != 0 { velocity[id] = buf }
        }
    }
}

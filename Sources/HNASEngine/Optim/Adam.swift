import Foundation

/// Adam (Kingma & Ba) with bias correction; `decoupledWeightDecay` selects AdamW (Loshchilov &
/// Hutter: `p −= lr·wd·p` before the Adam step) instead of L2 decay added to the gradient.
/// Matches `torch.optim.Adam` / `AdamW` (no amsgrad). The moment estimates live in `state`
/// (buffers `"m"` and `"v"` by parameter name, with each parameter's update count).
public final class Adam: Optimizer {
    public var learningRate: Float
    public let beta1: Float
    public let beta2: Float
    public let eps: Float
    public let weightDecay: Float
    public let decoupledWeightDecay: Bool
    public let decayScope: WeightDecayScope
    public private(set) var state = OptimizerState()
    private let named: [(String, Parameter)]

    /// Adam over parameters keyed in `state` by the given names (e.g. `Module.namedParameters()`).
    public init(named: [(String, Parameter)], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                eps: Float = 1e-8, weightDecay: Float = 0, decoupledWeightDecay: Bool = false,
                decayScope: WeightDecayScope = .all) {
        self.named = named
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
        self.decayScope = decayScope
    }

    /// Adam over parameters keyed in `state` by their positions ("0", "1", …).
    public convenience init(parameters: [Parameter], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                            eps: Float = 1e-8, weightDecay: Float = 0, decoupledWeightDecay: Bool = false,
                            decayScope: WeightDecayScope = .all) {
        self.init(named: OptimizerState.positional(parameters), learningRate: learningRate, beta1: beta1, beta2: beta2, eps: eps,
                  weightDecay: weightDecay, decoupledWeightDecay: decoupledWeightDecay, decayScope: decayScope)
    }

    /// AdamW: Adam with decoupled weight decay (PyTorch's default decay 0.01).
    public static func adamW(parameters: [Parameter], learningRate: Float = 1e-3, weightDecay: Float = 0.01,
                             decayScope: WeightDecayScope = .all) -> Adam {
        Adam(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay, decoupledWeightDecay: true, decayScope: decayScope)
    }

    public func step() throws {
        for (name, p) in named {
            guard let grad = p.grad else { continue }
            var slot = state.slots.removeValue(forKey: name) ?? OptimizerState.Slot()
            var m = slot.buffers.removeValue(forKey: "m") ?? Tensor(zeros: p.shape)
            var v = slot.buffers.removeValue(forKey: "v") ?? Tensor(zeros: p.shape)
            slot.updates += 1
            let wd = decayScope.applies(to: p, named: name) ? weightDecay : 0
            let c1 = 1 - Float(pow(Double(beta1), Double(slot.updates))), c2 = 1 - Float(pow(Double(beta2), Double(slot.updates)))
            let (lr, b1, b2, eps, decoupled) = (learningRate, beta1, beta2, eps, decoupledWeightDecay)
            m.withUnsafeMutableBufferPointer { m in
                v.withUnsafeMutableBufferPointer { v in
                    grad.withUnsafeBufferPointer { g in
                        p.update { w in
                            Tensor.parallelChunks(w.count) { r in // element-wise: the same for any split
                                for i in r {
                                    var gi = g[i]
                                    if decoupled { w[i] -= lr * wd * w[i] } else { gi += wd * w[i] }
                                    m[i] = b1 * m[i] + (1 - b1) * gi
                                    v[i] = b2 * v[i] + (1 - b2) * gi * gi
                                    w[i] -= lr * (m[i] / c1) / ((v[i] / c2).squareRoot() + eps)
                                }
                            }
                        }
                    }
                }
            }
            slot.buffers = ["m": m, "v": v]
            state.slots[name] = slot
        }
        state.step += 1
    }

    public func restore(_ state: OptimizerState) throws {
        try state.check(against: named, buffers: ["m", "v"])
        self.state = state
    }
}

import Foundation

/// Adam (Kingma & Ba) with bias correction; `decoupledWeightDecay` selects AdamW (Loshchilov &
/// Hutter: `p −= lr·wd·p` before the Adam step) instead of L2 decay added to the gradient.
/// Matches `torch.optim.Adam` / `AdamW` (no amsgrad).
public final class Adam: Optimizer {
    public var learningRate: Float
    public let beta1: Float
    public let beta2: Float
    public let eps: Float
    public let weightDecay: Float
    public let decoupledWeightDecay: Bool
    public let decayScope: WeightDecayScope
    private let parameters: [Parameter]
    private var moments: [ObjectIdentifier: (m: Tensor, v: Tensor, t: Int)] = [:]

    public init(parameters: [Parameter], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                eps: Float = 1e-8, weightDecay: Float = 0, decoupledWeightDecay: Bool = false,
                decayScope: WeightDecayScope = .all) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
        self.decayScope = decayScope
    }

    /// AdamW: Adam with decoupled weight decay (PyTorch's default decay 0.01).
    public static func adamW(parameters: [Parameter], learningRate: Float = 1e-3, weightDecay: Float = 0.01,
                             decayScope: WeightDecayScope = .all) -> Adam {
        Adam(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay, decoupledWeightDecay: true, decayScope: decayScope)
    }

    public func step() throws {
        for p in parameters {
            guard let grad = p.grad else { continue }
            let id = ObjectIdentifier(p)
            var state = moments.removeValue(forKey: id) ?? (Tensor(zeros: p.shape), Tensor(zeros: p.shape), 0)
            state.t += 1
            let wd = decayScope.applies(to: p) ? weightDecay : 0
            let c1 = 1 - Float(pow(Double(beta1), Double(state.t))), c2 = 1 - Float(pow(Double(beta2), Double(state.t)))
            let (lr, b1, b2, eps, decoupled) = (learningRate, beta1, beta2, eps, decoupledWeightDecay)
            state.m.withUnsafeMutableBufferPointer { m in
                state.v.withUnsafeMutableBufferPointer { v in
                    grad.withUnsafeBufferPointer { g in
                        p.update { w in
                            for i in 0..<w.count {
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
            moments[id] = state
        }
    }
}

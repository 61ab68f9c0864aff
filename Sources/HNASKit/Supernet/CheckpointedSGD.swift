/// SGD with (Nesterov) momentum whose momentum buffers can be saved and restored by parameter
/// name, so supernet training resumes exactly from a checkpoint. The update is the engine's
/// (`OptimizerKernels.sgd`, PyTorch's `torch.optim.SGD` rule); weight decay skips BN weights and
/// biases (rank-1 parameters) and the kernel transformation matrices, as OFA's `no_decay_keys` do.
public final class CheckpointedSGD: Optimizer {
    public var learningRate: Float
    public let momentum: Float
    public let nesterov: Bool
    public let weightDecay: Float
    private let named: [(String, Parameter)]
    private var buffers: [String: Tensor] = [:]

    public init(named: [(String, Parameter)], learningRate: Float, momentum: Float = 0.9, nesterov: Bool = true, weightDecay: Float = 0) {
        self.named = named
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
    }

    public func step() throws {
        for (name, p) in named {
            guard let grad = p.grad else { continue }
            let wd = p.shape.count >= 2 && !name.hasSuffix("_matrix") ? weightDecay : 0
            let first = buffers[name] == nil
            var buf = buffers.removeValue(forKey: name) ?? Tensor(zeros: p.shape)
            let (lr, mu, nesterov) = (learningRate, momentum, nesterov)
            buf.withUnsafeMutableBufferPointer { b in
                grad.withUnsafeBufferPointer { g in
                    p.update { w in
                        OptimizerKernels.sgd(w.baseAddress!, g.baseAddress!, b.baseAddress!, count: w.count,
                                             lr: lr, momentum: mu, weightDecay: wd, nesterov: nesterov, first: first)
                    }
                }
            }
            if mu != 0 { buffers[name] = buf }
        }
    }

    /// The momentum buffers by parameter name (parameters not yet updated have none).
    public var state: [String: Tensor] { buffers }

    /// Restores buffers saved from `state`.
    /// - Throws: `HNASError` naming buffers whose parameter is unknown or whose shape differs.
    public func restore(_ state: [String: Tensor]) throws {
        let shapes = Dictionary(uniqueKeysWithValues: named.map { ($0.0, $0.1.shape) })
        let bad = state.filter { shapes[$0.key] != $0.value.shape }.keys.sorted()
        guard bad.isEmpty else {
            throw HNASError.argument("optimizer state", why: "buffers that fit no parameter: \(bad.joined(separator: ", "))")
        }
        buffers = state
    }
}

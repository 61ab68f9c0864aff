/// Gradient-norm clipping and the opt-in finite-loss check.
public enum TrainingGuards {
    /// Scales all gradients so their joint L2 norm is at most `maxNorm` (PyTorch's
    /// `clip_grad_norm_`: factor `maxNorm / (norm + 1e-6)` when the norm exceeds it).
    /// - Returns: the norm before clipping.
    @discardableResult
    public static func clipGradientNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
        var total: Double = 0
        for p in parameters {
            guard let g = p.grad else { continue }
            total += g.withUnsafeBufferPointer { Double(Vector.dot($0.baseAddress!, $0.baseAddress!, count: $0.count)) }
        }
        let norm = Float(total.squareRoot())
        if norm > maxNorm {
            let factor = maxNorm / (norm + 1e-6)
            for p in parameters { p.grad = p.grad?.scaled(factor) }
        }
        return norm
    }

    /// Throws when `loss` contains NaN or ±∞, naming the training step.
    public static func requireFinite(_ loss: Tensor, step: Int) throws {
        if let bad = loss.scalars.first(where: { !$0.isFinite }) {
            throw HNASError.op("training step \(step)", why: "the loss is \(bad) (NaN or infinite); lower the learning rate or check the inputs")
        }
    }
}

import Foundation

/// Loss functions: each returns a one-element tensor (the mean over the batch) ready for `backward()`.
///
/// Class labels are `[Int]`, one per row of the logits, each in `0..<classes`.
public enum Loss {
    /// Cross-entropy of `logits` [N, C] against integer `labels` (count N), averaged over N.
    /// With `labelSmoothing` ε the target is `(1 − ε)·onehot + ε/C` (PyTorch's definition).
    public static func crossEntropy(logits: Tensor, labels: [Int], labelSmoothing: Float = 0) throws -> Tensor {
        guard logits.rank == 2, logits.shape[0] == labels.count else {
            throw HNASError.op("crossEntropy", why: "logits \(logits.shape) do not match \(labels.count) labels (expected [N, C] with N = labels)")
        }
        let classes = logits.shape[1]
        if let bad = labels.first(where: { $0 < 0 || $0 >= classes }) {
            throw HNASError.op("crossEntropy", why: "label \(bad) is outside 0..<\(classes) for logits \(logits.shape)")
        }
        guard labelSmoothing >= 0 && labelSmoothing <= 1 else {
            throw HNASError.op("crossEntropy", why: "label smoothing \(labelSmoothing) is outside [0, 1]")
        }
        var target = Tensor(repeating: labelSmoothing / Float(classes), shape: logits.shape)
        target.withUnsafeMutableBufferPointer { t in
            for (i, label) in labels.enumerated() { t[i * classes + label] += 1 - labelSmoothing }
        }
        return try softTargetCrossEntropy(logits: logits, target: target, op: "crossEntropy")
    }

    /// Cross-entropy against a probability distribution per row, `mean_i(−Σ_c p_ic · log softmax(x)_ic)`
    /// (OFA's soft-target loss for in-place distillation). The target is a constant.
    public static func crossEntropy(logits: Tensor, targetProbabilities target: Tensor) throws -> Tensor {
        try softTargetCrossEntropy(logits: logits, target: target, op: "crossEntropy")
    }

    /// KL divergence `KL(p ‖ softmax(logits))` per row, averaged over the rows ("batchmean").
    /// `target` holds probabilities p (constant); zero entries contribute nothing.
    public static func klDivergence(logits: Tensor, targetProbabilities target: Tensor) throws -> Tensor {
        let ce = try softTargetCrossEntropy(logits: logits, target: target, op: "klDivergence")
        let rows = Float(logits.shape[0])
        let entropy = target.withUnsafeBufferPointer { p in
            p.reduce(Float(0)) { $1 > 0 ? $0 + $1 * Foundation.log($1) : $0 }
        }
        return ce + entropy / rows
    }

    private static func softTargetCrossEntropy(logits: Tensor, target: Tensor, op: String) throws -> Tensor {
        guard logits.rank == 2, target.shape == logits.shape else {
            throw HNASError.op(op, why: "logits \(logits.shape) and target \(target.shape) must both be [N, C]")
        }
        let rows = logits.shape[0]
        let logp = logits.softmaxValue(axis: 1, log: true)
        let total = logp.withUnsafeBufferPointer { l in target.withUnsafeBufferPointer { t in
            -Vector.dot(l.baseAddress!, t.baseAddress!, count: l.count)
        } }
        let value = Tensor(scalar: total / Float(Swift.max(rows, 1)))
        return Tensor.record(op, value, inputs: [logits]) { g, _ in
            // d/dx = (softmax − p) · g / N   (each target row sums to 1 for labels; general form below)
            let p = logp.mapped(Foundation.exp, Vector.lanes(Foundation.exp))
            let rowMass = Tensor.sumAxisValue(target, axis: 1)
            let scale = g.item / Float(Swift.max(rows, 1))
            return [p.zipped(rowMass, *, *).zipped(target, -, -).scaled(scale)]
        }
    }

    /// Binary cross-entropy on logits (multi-label), averaged over all elements; targets in [0, 1].
    public static func binaryCrossEntropyWithLogits(logits: Tensor, targets: Tensor) throws -> Tensor {
        guard logits.shape == targets.shape else {
            throw HNASError.op("binaryCrossEntropyWithLogits", why: "logits \(logits.shape) and targets \(targets.shape) differ")
        }
        // max(x, 0) − x·t + log(1 + e^−|x|)
        let perElement = logits.zipped(targets, { x, t in Swift.max(x, 0) - x * t + log1p(Foundation.exp(-abs(x))) },
                                       Vector.lanes2 { x, t in Swift.max(x, 0) - x * t + log1p(Foundation.exp(-abs(x))) })
        let n = Float(Swift.max(logits.count, 1))
        let value = Tensor(scalar: perElement.withUnsafeBufferPointer { Vector.sum($0.baseAddress!, count: $0.count) } / n)
        return Tensor.record("binaryCrossEntropyWithLogits", value, inputs: [logits]) { g, _ in
            let s = g.item / n
            return [logits.zipped(targets, { x, t in (Tensor.logistic(x) - t) * s },
                                  Vector.lanes2 { x, t in (Tensor.logistic(x) - t) * s })]
        }
    }

    /// Mean squared error `mean((a − b)²)`; shapes must match.
    public static func meanSquaredError(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        guard a.shape == b.shape else {
            throw HNASError.op("meanSquaredError", why: "shapes \(a.shape) and \(b.shape) differ")
        }
        return try (a - b).squared().mean()
    }
}

extension Vector {
    /// A lane-by-lane SIMD version of a scalar binary function.
    @inline(__always) static func lanes2(_ f: @escaping (Float, Float) -> Float) -> (V, V) -> V {
        { a, b in
            var r = a
            for i in 0..<8 { r[i] = f(a[i], b[i]) }
            return r
        }
    }
}

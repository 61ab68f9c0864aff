import Foundation

/// Softmax and log-softmax over any axis (numerically stable: the maximum is subtracted first).
extension Tensor {
    /// `exp(x) / Σ exp(x)` along `axis`.
    public func softmax(axis: Int = -1) throws -> Tensor {
        let a = try normalizedAxis(axis, op: "softmax")
        let y = softmaxValue(axis: a, log: false)
        return Tensor.record("softmax", y, inputs: [self]) { g, _ in
            // dx = y · (g − Σ g·y)
            let gy = g.zipped(y, *, *)
            let s = Tensor.sumAxisValue(gy, axis: a)
            return [g.zipped(s, -, -).zipped(y, *, *)]
        }
    }

    /// `x − log Σ exp(x)` along `axis`.
    public func logSoftmax(axis: Int = -1) throws -> Tensor {
        let a = try normalizedAxis(axis, op: "logSoftmax")
        let y = softmaxValue(axis: a, log: true)
        return Tensor.record("logSoftmax", y, inputs: [self]) { g, _ in
            // dx = g − softmax · Σ g
            let s = Tensor.sumAxisValue(g, axis: a)
            let p = y.mapped(Foundation.exp, Vector.lanes(Foundation.exp))
            return [g.zipped(p.zipped(s, *, *), -, -)]
        }
    }

    /// Softmax (or log-softmax) values along axis `a`, without recording.
    func softmaxValue(axis a: Int, log: Bool) -> Tensor {
        let outer = shape[..<a].reduce(1, *), n = shape[a], inner = shape[(a + 1)...].reduce(1, *)
        return Tensor(shape: shape) { out in
            withUnsafeBufferPointer { x in
                Tensor.parallelChunks(outer * inner, grain: Tensor.grain(itemSize: n)) { range in
                    for line in range {
                        let o = line / inner, i = line % inner
                        let base = o * n * inner + i
                        var m = -Float.infinity
                        for j in 0..<n { m = Swift.max(m, x[base + j * inner]) }
                        var total: Float = 0
                        for j in 0..<n {
                            let e = Foundation.exp(x[base + j * inner] - m)
                            out[base + j * inner] = e
                            total += e
                        }
                        if log {
                            let logTotal = Foundation.log(total)
                            for j in 0..<n { out[base + j * inner] = (x[base + j * inner] - m) - logTotal }
                        } else {
                            let r = 1 / total
                            for j in 0..<n { out[base + j * inner] *= r }
                        }
                    }
                }
            }
        }
    }

    /// The sum of `t` over axis `a`, kept as size 1, without recording.
    static func sumAxisValue(_ t: Tensor, axis a: Int) -> Tensor {
        Autograd.withoutGrad {
            do { return try t.sum(axes: [a], keepDims: true) } catch { preconditionFailure("sum over axis \(a) of \(t.shape)") }
        }
    }
}

/// The SIMD inner loops of the optimisers.
enum OptimizerKernels {
    /// One SGD update of `count` weights in place (see `SGD`); `buf` is the momentum buffer.
    static func sgd(_ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ buf: UnsafeMutablePointer<Float>, count: Int,
                    lr: Float, momentum: Float, weightDecay: Float, nesterov: Bool, first: Bool) {
        typealias V = Vector.V
        let lrv = V(repeating: lr), mu = V(repeating: momentum), wd = V(repeating: weightDecay)
        @inline(__always) func lane(_ i: Int) {
            let d = g[i] + weightDecay * w[i]
            if momentum == 0 { w[i] -= lr * d; return }
            buf[i] = first ? d : momentum * buf[i] + d
            w[i] -= lr * (nesterov ? d + momentum * buf[i] : buf[i])
        }
        var i = 0
        while i + 8 <= count {
            let wi = Vector.load(w + i)
            let d = Vector.load(g + i).addingProduct(wd, wi)
            if momentum == 0 {
                Vector.store(wi - lrv * d, w + i)
            } else {
                let b = first ? d : mu * Vector.load(buf + i) + d
                Vector.store(b, buf + i)
                Vector.store(wi - lrv * (nesterov ? d + mu * b : b), w + i)
            }
            i += 8
        }
        while i < count { lane(i); i += 1 }
    }
}

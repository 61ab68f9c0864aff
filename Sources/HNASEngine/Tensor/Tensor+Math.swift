import Foundation

/// Element-wise math functions, differentiable.
extension Tensor {
    /// `e^x`.
    public func exp() -> Tensor {
        let y = mapped(Foundation.exp, Vector.lanes(Foundation.exp))
        return Tensor.record("exp", y, inputs: [self]) { g, _ in [g.zipped(y, *, *)] }
    }

    /// Natural logarithm (−∞ at 0, NaN below).
    public func log() -> Tensor {
        let y = mapped(Foundation.log, Vector.lanes(Foundation.log))
        return Tensor.record("log", y, inputs: [self]) { g, _ in [g.zipped(self, /, /)] }
    }

    /// Square root.
    public func sqrt() -> Tensor {
        let y = mapped({ $0.squareRoot() }, { $0.squareRoot() })
        return Tensor.record("sqrt", y, inputs: [self]) { g, _ in
            [g.zipped(y, { g, y in g / (2 * y) }, { g, y in g / (y + y) })]
        }
    }

    /// `x²`.
    public func squared() -> Tensor {
        let y = mapped({ $0 * $0 }, { $0 * $0 })
        return Tensor.record("square", y, inputs: [self]) { g, _ in
            [g.zipped(self, { g, x in 2 * g * x }, { g, x in g * (x + x) })]
        }
    }
}

import CKernels
import Foundation

/// Activation functions, element-wise and differentiable.
///
/// Piecewise-linear ones (ReLU, ReLU6, h-swish, h-sigmoid) are SIMD throughout; Mish and sigmoid run
/// in the vectorised C kernels (`CKernels`, AVX2 or AVX-512); tanh and GELU evaluate `tanh`/`erf` per lane.
extension Tensor {
    private typealias V = Vector.V

    /// `max(x, 0)`.
    public func relu() -> Tensor { PiecewiseActivation.relu.apply(self, op: "relu") }

    /// `min(max(x, 0), 6)`.
    public func relu6() -> Tensor { PiecewiseActivation.relu6.apply(self, op: "relu6") }

    /// h-swish: `x · relu6(x + 3) / 6` (MobileNetV3).
    public func hardSwish() -> Tensor { PiecewiseActivation.hardSwish.apply(self, op: "hardSwish") }

    /// h-sigmoid: `relu6(x + 3) / 6` (MobileNetV3).
    public func hardSigmoid() -> Tensor { PiecewiseActivation.hardSigmoid.apply(self, op: "hardSigmoid") }

    /// The logistic function `1 / (1 + e^−x)`, vectorised in `CKernels` (within 4 ulp, see `KernelPathTests`).
    public func sigmoid() -> Tensor {
        let y = kernelMapped { hnas_ck_sigmoid($0, $1, $2) }
        return Tensor.record("sigmoid", y, inputs: [self]) { g, _ in
            [g.zipped(y, { g, y in g * y * (1 - y) }, { g, y in g * y * (1 - y) })]
        }
    }

    /// Hyperbolic tangent.
    public func tanh() -> Tensor {
        let y = mapped(Foundation.tanh, Vector.lanes(Foundation.tanh))
        return Tensor.record("tanh", y, inputs: [self]) { g, _ in
            [g.zipped(y, { g, y in g * (1 - y * y) }, { g, y in g * (1 - y * y) })]
        }
    }

    /// Mish: `x · tanh(softplus(x))`, forward and backward vectorised in `CKernels` (see
    /// `ElementwiseKernels.h` for the formulation and `ActivationTests` for the accuracy bound).
    public func mish() -> Tensor {
        let y = kernelMapped { hnas_ck_mish_forward($0, $1, $2) }
        return Tensor.record("mish", y, inputs: [self]) { g, _ in
            [g.kernelZipped(self) { hnas_ck_mish_backward($0, $1, $2, $3) }]
        }
    }

    /// GELU, the exact form `x · Φ(x)` with Φ the standard normal CDF (PyTorch's default).
    public func gelu() -> Tensor {
        let phi: (Float) -> Float = { x in 0.5 * (1 + erf(x / Float(2).squareRoot())) }
        let y = mapped({ $0 * phi($0) }, Vector.lanes { $0 * phi($0) })
        return Tensor.record("gelu", y, inputs: [self]) { g, _ in
            let d: (Float) -> Float = { x in phi(x) + x * Foundation.exp(-0.5 * x * x) / (2 * Float.pi).squareRoot() }
            return [g.zipped(self, { g, x in g * d(x) }, { g, x in g * Vector.lanes(d)(x) })]
        }
    }

    /// GLU along `axis`: the first half times the sigmoid of the second half, as one op (no copies
    /// of the halves; the gate is kept for the backward pass).
    /// - Throws: `HNASError` when the axis length is odd.
    public func glu(axis: Int = -1) throws -> Tensor {
        let a = try normalizedAxis(axis, op: "glu")
        guard shape[a] % 2 == 0 else {
            throw HNASError.op("glu", why: "axis \(axis) of shape \(shape) has odd length \(shape[a])")
        }
        var outShape = shape
        outShape[a] /= 2
        // Per outer index o: the first half is the block at 2o, the gate's input the block at 2o + 1.
        let outer = shape[..<a].reduce(1, *), block = outShape[a...].reduce(1, *)
        let grain = Tensor.grain(itemSize: block)
        let gate = Tensor(shape: outShape) { s in
            withUnsafeBufferPointer { x in
                Tensor.parallelChunks(outer, grain: grain) { range in
                    for o in range { hnas_ck_sigmoid(x.baseAddress! + (2 * o + 1) * block, s.baseAddress! + o * block, block) }
                }
            }
        }
        let y = Tensor(shape: outShape) { y in
            withUnsafeBufferPointer { x in
                gate.withUnsafeBufferPointer { s in
                    Tensor.parallelChunks(outer, grain: grain) { range in
                        for o in range {
                            Vector.zip(x.baseAddress! + 2 * o * block, s.baseAddress! + o * block, y.baseAddress! + o * block,
                                       count: block, *, *)
                        }
                    }
                }
            }
        }
        let input = self
        return Tensor.record("glu", y, inputs: [self]) { g, _ in
            [Tensor(shape: input.shape) { dx in
                g.withUnsafeBufferPointer { pg in
                    input.withUnsafeBufferPointer { x in
                        gate.withUnsafeBufferPointer { s in
                            Tensor.parallelChunks(outer, grain: grain) { range in
                                for o in range {
                                    let (go, so) = (pg.baseAddress! + o * block, s.baseAddress! + o * block)
                                    // d first half = g·σ(b); d second half = g·a·σ(b)·(1 − σ(b)).
                                    Vector.zip(go, so, dx.baseAddress! + 2 * o * block, count: block, *, *)
                                    Vector.gluGateGrad(go, x.baseAddress! + 2 * o * block, so, dx.baseAddress! + (2 * o + 1) * block, count: block)
                                }
                            }
                        }
                    }
                }
            }]
        }
    }

    static func logistic(_ x: Float) -> Float {
        x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x))
    }


    /// `kernel(x, out, n)` over all elements, split over the workers. The C kernels compute every
    /// element the same way wherever a split falls, so the result does not depend on the thread count.
    func kernelMapped(_ kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void) -> Tensor {
        Tensor(shape: shape) { out in
            withUnsafeBufferPointer { x in
                Tensor.parallelChunks(count) { r in kernel(x.baseAddress! + r.lowerBound, out.baseAddress! + r.lowerBound, r.count) }
            }
        }
    }

    /// `kernel(self, other, out, n)` over all elements of two equally shaped tensors, split over the workers.
    func kernelZipped(_ other: Tensor,
                      _ kernel: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void) -> Tensor {
        precondition(shape == other.shape, "kernelZipped of \(shape) and \(other.shape)")
        return Tensor(shape: shape) { out in
            withUnsafeBufferPointer { a in
                other.withUnsafeBufferPointer { b in
                    Tensor.parallelChunks(count) { r in
                        kernel(a.baseAddress! + r.lowerBound, b.baseAddress! + r.lowerBound, out.baseAddress! + r.lowerBound, r.count)
                    }
                }
            }
        }
    }
}

extension Vector {
    /// `out[i] = g[i]·a[i]·s[i]·(1 − s[i])`: the gradient of GLU's gate input.
    static func gluGateGrad(_ g: UnsafePointer<Float>, _ a: UnsafePointer<Float>, _ s: UnsafePointer<Float>,
                            _ out: UnsafeMutablePointer<Float>, count: Int) {
        let one = V(repeating: 1)
        var i = 0
        while i + 8 <= count {
            let sv = load(s + i)
            store(load(g + i) * load(a + i) * sv * (one - sv), out + i)
            i += 8
        }
        while i < count { out[i] = g[i] * a[i] * s[i] * (1 - s[i]); i += 1 }
    }

    /// A lane-by-lane SIMD version of a scalar function.
    @inline(__always) static func lanes(_ f: @escaping (Float) -> Float) -> (V) -> V {
        { v in
            var r = v
            for i in 0..<8 { r[i] = f(v[i]) }
            return r
        }
    }
}

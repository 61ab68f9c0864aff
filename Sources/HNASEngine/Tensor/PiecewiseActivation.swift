/// SIMD loops of the piecewise-linear activations (ReLU, ReLU6, h-swish, h-sigmoid), shared by
/// the activation ops and by batch norm fused with its activation.
enum PiecewiseActivation {
    typealias V = Vector.V
    case relu, relu6, hardSwish, hardSigmoid

    /// The piecewise kind of `activation`, or `nil` for identity and the smooth ones.
    init?(_ activation: Activation) {
        switch activation {
        case .relu: self = .relu
        case .relu6: self = .relu6
        case .hardSwish: self = .hardSwish
        case .hardSigmoid: self = .hardSigmoid
        default: return nil
        }
    }

    /// The scalar tails compute exactly what the SIMD lanes do (× 1/6 rather than ÷ 6, ReLU keeps −0),
    /// so a result does not depend on where a loop's 8-wide body ends: a whole-tensor activation and
    /// batch norm fused with it (split per channel plane) give the same bits.
    private static let sixthScalar: Float = 1 / 6

    /// `out[i] = f(x[i])` (in place allowed).
    func forward(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int) {
        switch self { // one loop per kind, so that the kind is a constant inside it
        case .relu: Self.forward(.relu, x, out, count)
        case .relu6: Self.forward(.relu6, x, out, count)
        case .hardSwish: Self.forward(.hardSwish, x, out, count)
        case .hardSigmoid: Self.forward(.hardSigmoid, x, out, count)
        }
    }

    /// `out[i] = g[i] · f′(x[i])` for inputs `x` (in place over `g` allowed). At the kinks the
    /// derivative is taken from the side PyTorch uses (ReLU′(0) = 0, h-swish′(±3) = the outer value).
    func backward(_ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .relu: Self.backward(.relu, g, x, out, count)
        case .relu6: Self.backward(.relu6, g, x, out, count)
        case .hardSwish: Self.backward(.hardSwish, g, x, out, count)
        case .hardSigmoid: Self.backward(.hardSigmoid, g, x, out, count)
        }
    }

    // The loops below call inlined per-lane functions of a constant kind rather than taking
    // closures or switching per vector: closures stayed out of line (one call per eight floats),
    // which with the standard library's SIMD `clamped(lowerBound:upperBound:)` (an out-of-line lane
    // loop) took 11 % of a batch-1 MobileNetV3 inference.

    @inline(__always)
    private static func forward(_ kind: Self, _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ count: Int) {
        var i = 0
        while i + 8 <= count { Vector.store(kind.value(Vector.load(x + i)), out + i); i += 8 }
        while i < count { out[i] = kind.value(x[i]); i += 1 }
    }

    @inline(__always)
    private static func backward(_ kind: Self, _ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
                                 _ out: UnsafeMutablePointer<Float>, _ count: Int) {
        var i = 0
        while i + 8 <= count { Vector.store(kind.gradient(Vector.load(g + i), Vector.load(x + i)), out + i); i += 8 }
        while i < count { out[i] = kind.gradient(g[i], x[i]); i += 1 }
    }

    @inline(__always)
    private func value(_ v: V) -> V {
        let (zero, three, sixth) = (V(repeating: 0), V(repeating: 3), V(repeating: Self.sixthScalar))
        switch self {
        case .relu: return v.replacing(with: zero, where: v .< zero)
        case .relu6: return Self.clamp06(v)
        case .hardSwish: return v * Self.clamp06(v + three) * sixth
        case .hardSigmoid: return Self.clamp06(v + three) * sixth
        }
    }

    @inline(__always)
    private func value(_ c: Float) -> Float {
        switch self {
        case .relu: return c < 0 ? 0 : c
        case .relu6: return Self.clamp06(c)
        case .hardSwish: return c * Self.clamp06(c + 3) * Self.sixthScalar
        case .hardSigmoid: return Self.clamp06(c + 3) * Self.sixthScalar
        }
    }

    @inline(__always)
    private func gradient(_ g: V, _ x: V) -> V {
        let (zero, three, six, sixth) = (V(repeating: 0), V(repeating: 3), V(repeating: 6), V(repeating: Self.sixthScalar))
        switch self {
        case .relu: return g.replacing(with: zero, where: x .<= zero)
        case .relu6: return g.replacing(with: zero, where: (x .<= zero) .| (x .>= six))
        case .hardSwish: // 0 below −3, 1 above 3, (2x + 3)/6 between.
            return (g * (x + x + three) * sixth).replacing(with: zero, where: x .< -three).replacing(with: g, where: x .> three)
        case .hardSigmoid: return (g * sixth).replacing(with: zero, where: (x .<= -three) .| (x .>= three))
        }
    }

    @inline(__always)
    private func gradient(_ g: Float, _ x: Float) -> Float {
        switch self {
        case .relu: return x > 0 ? g : 0
        case .relu6: return x > 0 && x < 6 ? g : 0
        case .hardSwish: return x < -3 ? 0 : x > 3 ? g : g * (x + x + 3) * Self.sixthScalar
        case .hardSigmoid: return x > -3 && x < 3 ? g * Self.sixthScalar : 0
        }
    }

    /// `v` clamped to [0, 6] by compare and blend (NaN and −0 pass through).
    @inline(__always)
    private static func clamp06(_ v: V) -> V {
        let (zero, six) = (V(repeating: 0), V(repeating: 6))
        return v.replacing(with: zero, where: v .< zero).replacing(with: six, where: v .> six)
    }

    /// The scalar twin of `clamp06(_: V)`, with the same result bit for bit.
    @inline(__always)
    private static func clamp06(_ c: Float) -> Float { c < 0 ? 0 : c > 6 ? 6 : c }

    /// The activation as a recorded op on a whole tensor.
    func apply(_ x: Tensor, op: String) -> Tensor {
        let y = Tensor(shape: x.shape) { out in
            x.withUnsafeBufferPointer { px in
                Tensor.parallelChunks(out.count) { r in forward(px.baseAddress! + r.lowerBound, out.baseAddress! + r.lowerBound, count: r.count) }
            }
        }
        return Tensor.record(op, y, inputs: [x]) { g, _ in
            [Tensor(shape: g.shape) { out in
                g.withUnsafeBufferPointer { pg in
                    x.withUnsafeBufferPointer { px in
                        Tensor.parallelChunks(out.count) { r in
                            backward(pg.baseAddress! + r.lowerBound, px.baseAddress! + r.lowerBound, out.baseAddress! + r.lowerBound, count: r.count)
                        }
                    }
                }
            }]
        }
    }
}

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
    private static let zero = V(repeating: 0), three = V(repeating: 3), six = V(repeating: 6), sixth = V(repeating: sixthScalar)

    /// `out[i] = f(x[i])` (in place allowed).
    func forward(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int) {
        let (zero, three, six, sixth) = (Self.zero, Self.three, Self.six, Self.sixth)
        switch self {
        case .relu:
            Vector.map(x, out, count: count, { $0 < 0 ? 0 : $0 }, { $0.replacing(with: zero, where: $0 .< zero) })
        case .relu6:
            Vector.map(x, out, count: count, { Swift.min(Swift.max($0, 0), 6) }, { $0.clamped(lowerBound: zero, upperBound: six) })
        case .hardSwish:
            Vector.map(x, out, count: count, { $0 * Swift.min(Swift.max($0 + 3, 0), 6) * Self.sixthScalar },
                       { $0 * ($0 + three).clamped(lowerBound: zero, upperBound: six) * sixth })
        case .hardSigmoid:
            Vector.map(x, out, count: count, { Swift.min(Swift.max($0 + 3, 0), 6) * Self.sixthScalar },
                       { ($0 + three).clamped(lowerBound: zero, upperBound: six) * sixth })
        }
    }

    /// `out[i] = g[i] · f′(x[i])` for inputs `x` (in place over `g` allowed). At the kinks the
    /// derivative is taken from the side PyTorch uses (ReLU′(0) = 0, h-swish′(±3) = the outer value).
    func backward(_ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int) {
        let (zero, three, six, sixth) = (Self.zero, Self.three, Self.six, Self.sixth)
        switch self {
        case .relu:
            Vector.zip(g, x, out, count: count, { g, x in x > 0 ? g : 0 }, { g, x in g.replacing(with: zero, where: x .<= zero) })
        case .relu6:
            Vector.zip(g, x, out, count: count, { g, x in x > 0 && x < 6 ? g : 0 },
                       { g, x in g.replacing(with: zero, where: (x .<= zero) .| (x .>= six)) })
        case .hardSwish:
            // 0 below −3, 1 above 3, (2x + 3)/6 between.
            Vector.zip(g, x, out, count: count, { g, x in x < -3 ? 0 : x > 3 ? g : g * (x + x + 3) * Self.sixthScalar }, { g, x in
                (g * (x + x + three) * sixth).replacing(with: zero, where: x .< -three).replacing(with: g, where: x .> three)
            })
        case .hardSigmoid:
            Vector.zip(g, x, out, count: count, { g, x in x > -3 && x < 3 ? g * Self.sixthScalar : 0 },
                       { g, x in (g * sixth).replacing(with: zero, where: (x .<= -three) .| (x .>= three)) })
        }
    }

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

import CKernels

/// An activation batch norm applies to each plane right after its multiply-add (one pass over memory):
/// the piecewise-linear ones (`PiecewiseActivation`) and Mish (`CKernels`). Both compute every element
/// the same way wherever a loop starts, so batch norm fused with the activation gives the same bits as
/// batch norm followed by the whole-tensor activation.
enum FusedActivation {
    case piecewise(PiecewiseActivation)
    case mish

    /// The fused kind of `activation`, or `nil` for identity and the activations that run as their own op.
    init?(_ activation: Activation) {
        if let piecewise = PiecewiseActivation(activation) {
            self = .piecewise(piecewise)
        } else if activation == .mish {
            self = .mish
        } else {
            return nil
        }
    }

    /// Whether a normalisation can apply `activation` in its own pass: identity or a fused kind.
    static func fuses(_ activation: Activation) -> Bool { activation == .identity || FusedActivation(activation) != nil }

    /// `out[i] = f(x[i])` (in place allowed).
    func forward(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .piecewise(let f): f.forward(x, out, count: count)
        case .mish: hnas_ck_mish_forward(x, out, count)
        }
    }

    /// `out[i] = g[i] · f′(x[i])` (in place over `g` or `x` allowed).
    func backward(_ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .piecewise(let f): f.backward(g, x, out, count: count)
        case .mish: hnas_ck_mish_backward(g, x, out, count)
        }
    }
}

import HNASKit

/// What the fallback predictor knows about a layer: its type, how many elementary operators it
/// runs (a per-operator overhead dominates small layers on the Jetsons), and its size
/// (multiply-accumulates, parameters, bytes of float32 activations read and written), all
/// computed from its descriptor.
struct LayerFeatures: Equatable {
    enum Kind: CaseIterable { case conv, mbconv, linear }

    /// Names of `vector`'s entries, stored with fitted predictors.
    static let names = ["is_conv", "is_mbconv", "is_linear", "operators", "mega_macs", "mega_params", "mega_activation_bytes"]

    let kind: Kind
    /// Convolutions and BatchNorms, plus pooling, two convolutions, gate and product for SE.
    let operators: Int
    let macs: Double
    let parameters: Double
    let activationBytes: Double

    init(_ layer: LayerDescriptor) {
        switch layer {
        case let .conv(c, o, r, k, s, _, bn):
            let out = OFASupernetSpace.outputSize(r, stride: s)
            kind = .conv
            operators = bn ? 2 : 1
            macs = Double(k * k * c * o * out * out)
            parameters = Double(k * k * c * o + (bn ? 2 * o : 0))
            activationBytes = 4 * Double(c * r * r + o * out * out)
        case let .mbconv(c, o, m, _, r, k, s, se):
            let out = OFASupernetSpace.outputSize(r, stride: s)
            kind = .mbconv
            operators = (m == 0 ? 4 : 6) + (se ? 5 : 0)
            if m == 0 {   // depthwise then pointwise, no expansion
                macs = Double(k * k * c * out * out + c * o * out * out)
                parameters = Double(k * k * c + c * o)
                activationBytes = 4 * Double(c * r * r + c * out * out + o * out * out)
            } else {
                let seMid = se ? OFASupernetSpace.makeDivisible(Double(m / 4)) : 0
                macs = Double(c * m * r * r + k * k * m * out * out + m * o * out * out + 2 * m * seMid)
                parameters = Double(c * m + k * k * m + m * o + (se ? 2 * m * seMid + seMid + m : 0))
                activationBytes = 4 * Double(c * r * r + m * r * r + m * out * out + o * out * out)
            }
        case let .linear(i, o):
            kind = .linear
            operators = 1
            macs = Double(i * o)
            parameters = Double(i * o + o)
            activationBytes = 4 * Double(i + o)
        }
    }

    /// Regression inputs: one intercept per layer type, the operator count, and the sizes in
    /// millions (see `names`).
    var vector: [Double] {
        [kind == .conv ? 1 : 0, kind == .mbconv ? 1 : 0, kind == .linear ? 1 : 0,
         Double(operators), macs / 1e6, parameters / 1e6, activationBytes / 1e6]
    }
}

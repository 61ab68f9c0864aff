/// One layer of a backbone as the hardware cost tables see it (the original's "ofa" key family).
///
/// Backbones describe their active subnet as a list of these; hardware models turn each into a
/// look-up key (`lutKey`) exactly as Harmonic-NAS builds it, e.g.
/// `MBConvLayer-input:1_16_14_14-in_ch:16-out_ch:24-mid_ch:48-expand:3-kernel:7-stride:2-use_se:0`.
public enum LayerDescriptor: Hashable, Codable, Sendable {
    /// A plain convolution (stem, final expand, feature mix) on a square `resolution`² input.
    case conv(inChannels: Int, outChannels: Int, resolution: Int, kernel: Int, stride: Int, useSE: Bool, useBN: Bool)
    /// An inverted-residual block; `midChannels` is 0 for the expand-1 first block.
    case mbconv(inChannels: Int, outChannels: Int, midChannels: Int, expand: Int, resolution: Int,
                kernel: Int, stride: Int, useSE: Bool)
    /// The classifier.
    case linear(inFeatures: Int, outFeatures: Int)

    /// The key of this layer in a Harmonic-NAS latency/energy table.
    public var lutKey: String {
        func flag(_ b: Bool) -> Int { b ? 1 : 0 }
        switch self {
        case let .conv(c, o, r, k, s, se, bn):
            return "ConvLayer-input:1_\(c)_\(r)_\(r)-in_ch:\(c)-out_ch:\(o)-kernel:\(k)-stride:\(s)-use_se:\(flag(se))-use_bn:\(flag(bn))"
        case let .mbconv(c, o, m, e, r, k, s, se):
            return "MBConvLayer-input:1_\(c)_\(r)_\(r)-in_ch:\(c)-out_ch:\(o)-mid_ch:\(m)-expand:\(e)-kernel:\(k)-stride:\(s)-use_se:\(flag(se))"
        case let .linear(i, o):
            return "LinearLayer-input:\(i)-in_ch:\(i)-out_ch:\(o)"
        }
    }
}

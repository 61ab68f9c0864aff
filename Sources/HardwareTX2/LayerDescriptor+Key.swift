import HNASKit

extension LayerDescriptor {
    /// Parses a backbone table key of the "ofa" family (the inverse of `lutKey`); `nil` for keys
    /// of other families or malformed keys.
    init?(lutKey key: String) {
        let parts = key.split(separator: "-").map(String.init)
        guard let type = parts.first else { return nil }
        var fields: [String: String] = [:]
        for part in parts.dropFirst() {
            let pair = part.split(separator: ":", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { return nil }
            fields[pair[0]] = pair[1]
        }
        func int(_ name: String) -> Int? { fields[name].flatMap { Int($0) } }
        func flag(_ name: String) -> Bool? { int(name).flatMap { $0 == 0 ? false : $0 == 1 ? true : nil } }
        let shape = fields["input"]?.split(separator: "_").compactMap { Int($0) } ?? []
        switch type {
        case "ConvLayer":
            guard shape.count == 4, let i = int("in_ch"), let o = int("out_ch"), let k = int("kernel"),
                  let s = int("stride"), let se = flag("use_se"), let bn = flag("use_bn") else { return nil }
            self = .conv(inChannels: i, outChannels: o, resolution: shape[2], kernel: k, stride: s, useSE: se, useBN: bn)
        case "MBConvLayer":
            guard shape.count == 4, let i = int("in_ch"), let o = int("out_ch"), let m = int("mid_ch"),
                  let e = int("expand"), let k = int("kernel"), let s = int("stride"), let se = flag("use_se")
            else { return nil }
            self = .mbconv(inChannels: i, outChannels: o, midChannels: m, expand: e, resolution: shape[2],
                           kernel: k, stride: s, useSE: se)
        case "LinearLayer":
            guard let i = int("in_ch"), let o = int("out_ch") else { return nil }
            self = .linear(inFeatures: i, outFeatures: o)
        default:
            return nil
        }
        guard lutKey == key else { return nil }
    }
}

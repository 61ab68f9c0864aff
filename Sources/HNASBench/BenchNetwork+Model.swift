import HNASEngine

extension BenchNetwork {
    /// The network as engine layers, built exactly like `torch_reference.py` builds its `body`
    /// (same layers in the same order; state-dict names are the reference's without the `body.`
    /// prefix). Weights are initialised per `WeightInit` (timing does not depend on them).
    /// - Throws: `HNASError` on an unknown layer type or activation, or a missing field.
    public func makeModel(generator: inout SeededGenerator) throws -> Sequential {
        _ = try convolutions() // validates every layer's fields
        var body: [HNASEngine.Layer] = []
        for layer in layers {
            let cin = layer.in ?? 0, cout = layer.out ?? 0, k = layer.k ?? 1, stride = layer.stride ?? 1
            let activation = try Self.activation(layer.act)
            switch layer.type {
            case "conv" where layer.bn ?? true:
                body.append(MBConvBlock.convBN(cin, cout, k, stride, activation, generator: &generator))
            case "conv", "feature_mix":
                body.append(Sequential([
                    Conv2d(inChannels: cin, outChannels: cout, kernelSize: k, stride: stride, padding: k / 2, bias: true, generator: &generator),
                    ActivationLayer(activation),
                ]))
            case "mbconv":
                let mid = cin * (layer.expand ?? 1)
                body.append(MBConvBlock(inChannels: cin, outChannels: cout, kernelSize: k, stride: stride,
                                        middleChannels: mid, activation: activation,
                                        squeezeExcite: (layer.se ?? false) ? Self.makeDivisible(mid / 4) : nil, generator: &generator))
            case "pool":
                body.append(GlobalAveragePool())
            case "linear":
                body.append(Flatten())
                if let p = layer.dropout, p > 0 { body.append(Dropout(probability: Float(p), generator: generator.fork())) }
                body.append(Linear(inFeatures: cin, outFeatures: cout, generator: &generator))
            default:
                throw HNASError.op("BenchNetwork", why: "unknown layer type '\(layer.type)'")
            }
        }
        return Sequential(body)
    }

    private static func activation(_ name: String?) throws -> Activation {
        guard let name else { return .identity }
        guard let activation = Activation(rawValue: name) else {
            throw HNASError.op("BenchNetwork", why: "unknown activation '\(name)'")
        }
        return activation
    }
}

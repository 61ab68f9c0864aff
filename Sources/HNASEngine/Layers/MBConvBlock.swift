/// A static MobileNetV2/V3 inverted-bottleneck block: `body` = [1×1 expand + BN + act] (when
/// the expansion is not 1) + depthwise k×k (stride, padding k/2) + BN + act + [squeeze-excite]
/// + 1×1 project + BN, plus the input when `residual` (stride 1 and equal channels).
///
/// Children are named like the PyTorch reference (`body.0.0.weight` for the expand conv, …).
public final class MBConvBlock: Layer {
    public let body: Sequential
    public let residual: Bool
    public var isTraining = true

    public init(inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int, middleChannels: Int,
                activation: Activation, squeezeExcite: Int?, generator: inout SeededGenerator) {
        var layers: [Layer] = []
        if middleChannels != inChannels {
            layers.append(Self.convBN(inChannels, middleChannels, 1, 1, activation, generator: &generator))
        }
        layers.append(Self.convBN(middleChannels, middleChannels, kernelSize, stride, activation, groups: middleChannels, generator: &generator))
        if let reduced = squeezeExcite {
            layers.append(SqueezeExcite(channels: middleChannels, reduced: reduced, generator: &generator))
        }
        layers.append(Self.convBN(middleChannels, outChannels, 1, 1, .identity, generator: &generator))
        body = Sequential(layers)
        residual = stride == 1 && inChannels == outChannels
    }

    /// Conv(k, stride, padding k/2, no bias) + BatchNorm + activation, as a `Sequential`.
    public static func convBN(_ cin: Int, _ cout: Int, _ k: Int, _ stride: Int, _ activation: Activation,
                              groups: Int = 1, generator: inout SeededGenerator) -> Sequential {
        Sequential([
            Conv2d(inChannels: cin, outChannels: cout, kernelSize: k, stride: stride, padding: k / 2, groups: groups, bias: false, generator: &generator),
            BatchNorm(features: cout), ActivationLayer(activation),
        ])
    }

    public var children: [(String, Module)] { [("body", body)] }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let y = try body(x)
        return residual ? try x + y : y
    }
}

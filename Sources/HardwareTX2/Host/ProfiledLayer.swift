import HNASKit

/// One layer configuration of a search space, as the host profiler measures it: its table key
/// (`descriptor`) and the activation the supernet uses there (the key does not name it).
///
/// `searchSpace(backbones:)` enumerates every distinct key a pipeline's OFA supernets can produce
/// (SPEC-hardware §1.3–1.5); `makeLayer` builds the layer the key describes with the engine.
public struct ProfiledLayer: Hashable, Sendable {
    public let descriptor: LayerDescriptor
    public let activation: Activation

    public init(_ descriptor: LayerDescriptor, activation: Activation) {
        self.descriptor = descriptor
        self.activation = activation
    }

    /// The table key.
    public var key: String { descriptor.lutKey }

    /// Every layer configuration of `space`, in network order, each key once: the stem, the first
    /// block, every (kernel, expand) of every block position of every stage, the final expand, the
    /// feature mix and the classifier. Depth only removes positions, so max depth holds them all.
    public static func all(in space: OFASupernetSpace) -> [ProfiledLayer] {
        var layers = [ProfiledLayer(.conv(inChannels: space.inputChannels, outChannels: space.stemWidth,
                                          resolution: space.resolution, kernel: 3, stride: 2, useSE: false, useBN: true),
                                    activation: .hardSwish)]
        var size = OFASupernetSpace.outputSize(space.resolution, stride: 2)
        layers.append(ProfiledLayer(.mbconv(inChannels: space.stemWidth, outChannels: space.firstBlockWidth, midChannels: 0,
                                            expand: 1, resolution: size, kernel: 3, stride: 1, useSE: false),
                                    activation: .relu))
        var channels = space.firstBlockWidth
        for stage in space.stages {
            for position in 0..<OFASupernetSpace.blocksPerStage {
                let stride = position == 0 ? stage.stride : 1
                for kernel in OFASupernetSpace.kernelChoices {
                    for expand in OFASupernetSpace.expandChoices {
                        let mid = OFASupernetSpace.midChannels(inChannels: channels, expand: expand)
                        layers.append(ProfiledLayer(.mbconv(inChannels: channels, outChannels: stage.width, midChannels: mid,
                                                            expand: expand, resolution: size, kernel: kernel,
                                                            stride: stride, useSE: stage.useSE),
                                                    activation: stage.activation == .relu ? .relu : .hardSwish))
                    }
                }
                size = OFASupernetSpace.outputSize(size, stride: stride)
                channels = stage.width
            }
        }
        layers.append(ProfiledLayer(.conv(inChannels: channels, outChannels: space.finalExpandWidth, resolution: size,
                                          kernel: 1, stride: 1, useSE: false, useBN: true), activation: .hardSwish))
        layers.append(ProfiledLayer(.conv(inChannels: space.finalExpandWidth, outChannels: space.featureMixWidth, resolution: 1,
                                          kernel: 1, stride: 1, useSE: false, useBN: false), activation: .hardSwish))
        layers.append(ProfiledLayer(.linear(inFeatures: space.featureMixWidth, outFeatures: space.classifierKeyOutputs),
                                    activation: .identity))
        return unique(layers)
    }

    /// Every layer configuration of `backbones` (a pipeline's costed ones, `Pipeline.costedBackbones`), each key once.
    /// - Throws: `HNASError` when there is none, or naming a backbone that is not an OFA MobileNetV3 supernet
    ///   (the only layers the profiler can build).
    public static func searchSpace(backbones: [any Backbone]) throws -> [ProfiledLayer] {
        guard !backbones.isEmpty else { throw HNASError.argument("--dataset", why: "the pipeline has no searched backbone to profile") }
        return unique(try backbones.flatMap { backbone -> [ProfiledLayer] in
            guard let ofa = backbone as? OFABackbone else {
                throw HNASError.argument("backbone \(backbone.name)", why: "the host profiler measures OFA MobileNetV3 layers only")
            }
            return all(in: ofa.space)
        })
    }

    private static func unique(_ layers: [ProfiledLayer]) -> [ProfiledLayer] {
        var seen = Set<String>()
        return layers.filter { seen.insert($0.key).inserted }
    }

    /// The shape of the batch-1 input the key describes: `[1, C, R, R]`, or `[1, F]` for a linear layer.
    public var inputShape: [Int] {
        switch descriptor {
        case let .conv(c, _, r, _, _, _, _), let .mbconv(c, _, _, _, r, _, _, _): return [1, c, r, r]
        case let .linear(i, _): return [1, i]
        }
    }

    /// The layer the key describes, built with the engine (SPEC-backbone §1.1), in evaluation mode:
    /// ConvLayer = conv (no bias) + BN (if `use_bn`) + activation; MBConvLayer = [1×1 expand + BN +
    /// act] + depthwise k×k + BN + act + [SE] + 1×1 project + BN, without the residual add (not part
    /// of the measured layer); LinearLayer = linear with bias.
    public func makeLayer(generator: inout SeededGenerator) -> Layer {
        let layer: Layer
        switch descriptor {
        case let .conv(c, o, _, k, s, _, bn):
            let conv = Conv2d(inChannels: c, outChannels: o, kernelSize: k, stride: s, padding: k / 2, bias: false,
                              generator: &generator)
            layer = Sequential(bn ? [conv, BatchNorm(features: o), ActivationLayer(activation)] : [conv, ActivationLayer(activation)])
        case let .mbconv(c, o, m, _, _, k, s, se):
            let middle = m == 0 ? c : m
            let reduced = se ? OFASupernetSpace.makeDivisible(Double(middle / 4)) : nil
            layer = MBConvBlock(inChannels: c, outChannels: o, kernelSize: k, stride: s, middleChannels: middle,
                                activation: activation, squeezeExcite: reduced, generator: &generator).body
        case let .linear(i, o):
            layer = Linear(inFeatures: i, outFeatures: o, generator: &generator)
        }
        layer.eval()
        return layer
    }
}

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
        let layers = body.layers, last = layers.count - 1
        let se = layers[last - 1] as? SqueezeExcite
        let tail = se == nil ? last : last - 1  // the layers from here on: the squeeze-and-excitation and the projection
        // The fused pass stands for the expansion and the depthwise layer, so it only runs with both before `tail`.
        let (fused, start) = try expandedDepthwise(x).map { ($0, 2) } ?? (x, 0)
        let h = try layers[start..<tail].reduce(fused) { try $1($0) }
        if let y = try projected(h, se: se, projection: layers[last], shortcut: residual ? x : nil) { return y }
        let y = try layers[tail...].reduce(h) { try $1($0) }
        return residual ? try x + y : y
    }

    /// In evaluation mode without gradients, the squeeze-and-excitation's scaling, the projection with its
    /// batch norm and the shortcut as one pass (`Tensor.projection`), with the bits of the layers run one by one;
    /// nil where that pass does not apply.
    private func projected(_ h: Tensor, se: SqueezeExcite?, projection: Layer, shortcut: Tensor?) throws -> Tensor? {
        guard let (conv, bn, activation) = Self.convBNParts(projection), conv.groups == 1, conv.bias == nil, conv.stride == 1,
              conv.weight.value.shape[2...] == [1, 1], Tensor.projectionTakes(h.shape, outChannels: conv.outChannels),
              let epilogue = try bn.inferenceEpilogue(channels: conv.outChannels, activation: activation) else { return nil }
        return try Tensor.projection(h, weight: conv.weight.value, channelScale: try se?.excitation(h), epilogue: epilogue,
                                     residual: shortcut)
    }

    /// The first two parts of `body`, the expansion and the depthwise convolution with their batch norms and
    /// activations, as one inference pass that never holds the expanded tensor (`Tensor.expandDepthwise`,
    /// the same bits), or nil when the block has no expansion, is training or recording gradients, or the
    /// pass does not take the shapes.
    private func expandedDepthwise(_ x: Tensor) throws -> Tensor? {
        guard body.layers.count > 2, let (expand, expandBN, expandActivation) = Self.convBNParts(body.layers[0]),
              let (depth, depthBN, depthActivation) = Self.convBNParts(body.layers[1]),
              expand.groups == 1, expand.weight.value.shape[2...] == [1, 1], expand.bias == nil, depth.groups == depth.outChannels, depth.bias == nil,
              depth.weight.value.shape[2] == depth.weight.value.shape[3],
              Tensor.expandDepthwiseTakes(x.shape, channels: expand.outChannels, kernel: depth.weight.value.shape[2], stride: depth.stride,
                                          padding: depth.padding),
              let expandEpilogue = try expandBN.inferenceEpilogue(channels: expand.outChannels, activation: expandActivation),
              let depthEpilogue = try depthBN.inferenceEpilogue(channels: depth.outChannels, activation: depthActivation) else { return nil }
        return try Tensor.expandDepthwise(x, expandWeight: expand.weight.value, expandEpilogue: expandEpilogue,
                                          depthwiseWeight: depth.weight.value, stride: depth.stride, padding: depth.padding,
                                          depthwiseEpilogue: depthEpilogue)
    }

    /// The convolution, batch norm and activation of a `convBN` layer.
    private static func convBNParts(_ layer: Layer) -> (Conv2d, BatchNorm, Activation)? {
        guard let sequential = layer as? Sequential, sequential.layers.count == 3, let conv = sequential.layers[0] as? Conv2d,
              let bn = sequential.layers[1] as? BatchNorm, let activation = sequential.layers[2] as? ActivationLayer else { return nil }
        return (conv, bn, activation.activation)
    }
}

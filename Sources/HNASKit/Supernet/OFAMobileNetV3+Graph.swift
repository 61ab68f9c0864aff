extension OFAMobileNetV3 {
    /// Emits the active subnet's evaluation-mode forward pass on `x` ([N, inputChannels, H, W]) into
    /// `builder`: only the active blocks, kernel sizes (transformed kernels) and channels. Returns the
    /// same list as `outputs(_:)`: `[first_conv, every active block…, logits]`. With `foldBatchNorm`
    /// every BatchNorm is folded into the convolution before it, else it stays a node.
    /// - Throws: `HNASError` when `x` does not fit the network.
    public func emitGraph(_ x: GraphValue, into builder: GraphBuilder, foldBatchNorm: Bool = true) throws -> [GraphValue] {
        guard x.shape.count == 4, x.shape[1] == .fixed(space.inputChannels) else {
            throw HNASError.op("OFAMobileNetV3", why: "graph input \(x.shape.text) is not N×\(space.inputChannels)×H×W")
        }
        var list = [try builder.scoped("first_conv") { try firstConv.emitGraph(x, into: builder, foldBatchNorm: foldBatchNorm) }]
        for index in activeBlockIndices {
            list.append(try builder.scoped("blocks.\(index)") { try blocks[index].emitGraph(list.last!, into: builder, foldBatchNorm: foldBatchNorm) })
        }
        let logits = try builder.scoped("classifier") {
            var h = try builder.scoped("final_expand_layer") { try finalExpandLayer.emitGraph(list.last!, into: builder, foldBatchNorm: foldBatchNorm) }
            h = try builder.apply("GlobalAveragePool", [h])
            h = try builder.scoped("feature_mix_layer") { try featureMixLayer.emitGraph(h, into: builder, foldBatchNorm: foldBatchNorm) }
            return try builder.scoped("linear") { try builder.linear(try builder.apply("Flatten", [h], ["axis": .int(1)]), classifier.linear) }
        }
        return list + [logits]
    }
}

extension OFABackboneNetwork: GraphEmittingBackbone {
    /// `[inputChannels, resolution, resolution]`.
    public var graphInputShape: [Int] { [network.space.inputChannels, network.space.resolution, network.space.resolution] }

    /// The active subnet's logits and the `featureCount` outputs `fusionFeatures(_:count:)` picks.
    public func emitGraph(_ x: GraphValue, featureCount: Int, into builder: GraphBuilder,
                          foldBatchNorm: Bool) throws -> (logits: GraphValue, features: [GraphValue]) {
        let list = try network.emitGraph(x, into: builder, foldBatchNorm: foldBatchNorm)
        return (list.last!, try OFAMobileNetV3.fusionFeatureIndices(outputCount: list.count, count: featureCount).map { list[$0] })
    }
}

extension OFAConvLayer {
    /// Convolution, BatchNorm (folded or a node) and activation, as `callAsFunction` in evaluation mode.
    func emitGraph(_ x: GraphValue, into builder: GraphBuilder, foldBatchNorm: Bool) throws -> GraphValue {
        let y = try builder.convolution(x, weight: conv.weight.value, bias: conv.bias?.value, stride: conv.stride,
                                        padding: conv.padding, groups: conv.groups, batchNorm: bn, foldBatchNorm: foldBatchNorm)
        return try builder.activation(y, activation)
    }
}

extension OFAMBConvBlock {
    /// The active block (kernel, expand ratio, SE width) in evaluation mode, as `callAsFunction`.
    func emitGraph(_ x: GraphValue, into builder: GraphBuilder, foldBatchNorm: Bool) throws -> GraphValue {
        let mid = activeMidChannels
        var h = x
        if let expandWeight, let expandBN {
            h = try builder.scoped("inverted_bottleneck") {
                try builder.activation(try builder.convolution(h, weight: try Self.channels(expandWeight.value, out: mid, in: inChannels),
                                                               batchNorm: expandBN, foldBatchNorm: foldBatchNorm), activation)
            }
        }
        h = try builder.scoped("depth_conv") {
            let y = try builder.convolution(h, weight: try activeDepthwiseWeight(), stride: stride, padding: activeKernel / 2, groups: mid,
                                            batchNorm: depthBN, foldBatchNorm: foldBatchNorm)
            return try builder.activation(y, activation)
        }
        if let se {
            h = try builder.scoped("depth_conv.se") {
                let reduced = Self.seChannels(mid: mid)
                var y = try builder.apply("GlobalAveragePool", [h])
                y = try builder.scoped("reduce") {
                    try builder.activation(try builder.convolution(y, weight: try Self.channels(se.reduceWeight.value, out: reduced, in: mid),
                                                                   bias: try Self.prefix(se.reduceBias.value, reduced)), .relu)
                }
                y = try builder.scoped("expand") {
                    try builder.activation(try builder.convolution(y, weight: try Self.channels(se.expandWeight.value, out: mid, in: reduced),
                                                                   bias: try Self.prefix(se.expandBias.value, mid)), .hardSigmoid)
                }
                return try builder.apply("Mul", [h, y])
            }
        }
        h = try builder.scoped("point_linear") {
            try builder.convolution(h, weight: try Self.channels(pointWeight.value, out: outChannels, in: mid),
                                    batchNorm: pointBN, foldBatchNorm: foldBatchNorm)
        }
        return hasShortcut ? try builder.apply("Add", [h, x]) : h
    }
}

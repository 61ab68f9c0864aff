import HNASKit

/// One backbone of an exported model: its named input, and how it computes its logits and the
/// features it hands to the fusion network — as graph operators (`emit`) and with hnas's engine
/// (`forward`, evaluation mode), so the file can be checked against the engine.
public struct ONNXBackbonePart {
    /// The graph input (named after the modality, with the preprocessed shape and a batch axis).
    public let input: GraphValue
    public let emit: (GraphBuilder, GraphValue) throws -> (logits: GraphValue, features: [GraphValue])
    public let forward: (Tensor) throws -> (logits: Tensor, features: [Tensor])

    public init(input: GraphValue, emit: @escaping (GraphBuilder, GraphValue) throws -> (logits: GraphValue, features: [GraphValue]),
                forward: @escaping (Tensor) throws -> (logits: Tensor, features: [Tensor])) {
        self.input = input
        self.emit = emit
        self.forward = forward
    }

    /// A network that emits itself (`GraphEmittingBackbone`), with `forward` computing the same logits and
    /// `featureCount` features with the engine.
    public init(_ network: any GraphEmittingBackbone, input: GraphValue, featureCount: Int, foldBatchNorm: Bool = true,
                forward: @escaping (Tensor) throws -> (logits: Tensor, features: [Tensor])) {
        self.init(input: input, emit: { builder, x in
            try network.emitGraph(x, featureCount: featureCount, into: builder, foldBatchNorm: foldBatchNorm)
        }, forward: forward)
    }

    /// An OFA MobileNetV3 subnet (the active one of `network`, typically an extracted subnet) with input
    /// `inputName` [N, C, R, R] at the space's resolution; its features are the `featureCount` outputs
    /// `fusionFeatures(_:count:)` picks.
    public static func ofa(_ network: OFAMobileNetV3, inputName: String, featureCount: Int, foldBatchNorm: Bool = true) -> ONNXBackbonePart {
        let space = network.space
        return ONNXBackbonePart(network, input: GraphValue(name: inputName, shape: .batched([space.inputChannels, space.resolution, space.resolution])),
                                featureCount: featureCount, foldBatchNorm: foldBatchNorm, forward: { x in
            network.eval()
            let list = try network.outputs(x)
            return (list.last!, try OFAMobileNetV3.fusionFeatureIndices(outputCount: list.count, count: featureCount).map { list[$0] })
        })
    }
}

/// The fusion network of an exported model: backbone features (unpooled, in backbone order) → logits.
public struct ONNXFusionPart {
    public let emit: (GraphBuilder, [GraphValue]) throws -> GraphValue
    public let forward: ([Tensor]) throws -> Tensor

    public init(emit: @escaping (GraphBuilder, [GraphValue]) throws -> GraphValue, forward: @escaping ([Tensor]) throws -> Tensor) {
        self.emit = emit
        self.forward = forward
    }

    /// A network that emits itself (`GraphEmittingFusion`), with `forward` computing its logits with the engine.
    public init(_ network: any GraphEmittingFusion, foldBatchNorm: Bool = true, forward: @escaping ([Tensor]) throws -> Tensor) {
        self.init(emit: { builder, features in try network.emitGraph(features: features, into: builder, foldBatchNorm: foldBatchNorm) },
                  forward: forward)
    }
}

import HNASKit

/// One backbone of an exported model: its named input, and how it computes its logits and the
/// features it hands to the fusion network — as graph operators (`emit`) and with hnas's engine
/// (`forward`, evaluation mode), so the file can be checked against the engine.
public struct ONNXBackbonePart {
    /// The graph input (named after the modality, with the preprocessed shape and a batch axis).
    public let input: GraphValue
    public let emit: (GraphBuilder, GraphValue) throws -> (logits: GraphValue, features: [GraphValue])
    public let forward: (Tensor) throws -> (logits: Tensor, features: [Tensor])

    /// A backbone network that emits itself, with input `inputName` of shape [N, `inputShape`…]
    /// (default: the network's `graphInputShape`) and `featureCount` fusion features.
    public init(_ network: any BackboneNetwork & GraphEmittingBackbone, inputName: String, inputShape: [Int]? = nil,
                featureCount: Int, foldBatchNorm: Bool = true) {
        input = GraphValue(name: inputName, shape: .batched(inputShape ?? network.graphInputShape))
        emit = { builder, x in try network.emitGraph(x, featureCount: featureCount, into: builder, foldBatchNorm: foldBatchNorm) }
        forward = { x in (try network.logits(x), try network.fusionFeatures(x, count: featureCount)) }
    }
}

/// The fusion network of an exported model: backbone features (unpooled, in backbone order) → logits.
public struct ONNXFusionPart {
    public let emit: (GraphBuilder, [GraphValue]) throws -> GraphValue
    public let forward: ([Tensor]) throws -> Tensor

    /// A trained fusion model that emits itself.
    public init(_ model: any FusionModel & GraphEmittingFusion, foldBatchNorm: Bool = true) {
        emit = { builder, features in try model.emitGraph(features: features, into: builder, foldBatchNorm: foldBatchNorm) }
        forward = { features in try model.logits(features) }
    }
}

/// A trained backbone network that can write its evaluation-mode forward pass as inference-graph
/// operators, so a whole model can be exported (ONNX) without the exporter knowing the network's kind.
public protocol GraphEmittingBackbone: AnyObject {
    /// The shape of one preprocessed input, without the batch axis (e.g. [1, 28, 28], [300]).
    var graphInputShape: [Int] { get }

    /// Emits the forward pass on `x` (a batch of preprocessed inputs) into `builder` and returns the
    /// logits and the `featureCount` fusion features the network's own rule picks (what
    /// `fusionFeatures(_:count:)` computes). With `foldBatchNorm`, BatchNorm after a convolution is
    /// folded into it.
    /// - Throws: `HNASError` when `x` or `featureCount` does not fit the network.
    func emitGraph(_ x: GraphValue, featureCount: Int, into builder: GraphBuilder,
                   foldBatchNorm: Bool) throws -> (logits: GraphValue, features: [GraphValue])
}

/// A trained fusion network that can write its evaluation-mode forward pass as inference-graph operators.
public protocol GraphEmittingFusion: AnyObject {
    /// Emits the network on the backbones' unpooled fusion features (in input-node order) and returns the logits.
    /// - Throws: `HNASError` when the features do not fit the network.
    func emitGraph(features: [GraphValue], into builder: GraphBuilder, foldBatchNorm: Bool) throws -> GraphValue
}

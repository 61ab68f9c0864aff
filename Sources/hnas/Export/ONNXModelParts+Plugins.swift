import ExportONNX
import HNASKit
import ModalityText
import SearchDARTS

extension ONNXBackbonePart {
    /// The Maxout text backbone: input `text` [N, inputFeatures]; its features are the two maxout
    /// outputs `MaxoutNetwork.fusionFeatureIndices` names.
    static func maxout(_ network: MaxoutNetwork, inputName: String = "text") -> ONNXBackbonePart {
        ONNXBackbonePart(network, input: GraphValue(name: inputName, shape: .batched([network.inputFeatures])),
                         featureCount: MaxoutNetwork.fusionFeatureIndices.count, forward: { x in
            network.eval()
            let list = try network.outputs(x)
            return (list.last!, MaxoutNetwork.fusionFeatureIndices.map { list[$0] })
        })
    }
}

extension ONNXFusionPart {
    /// A derived fusion network with trained weights.
    static func derived(_ network: TrainedFusionNetwork, foldBatchNorm: Bool = true) -> ONNXFusionPart {
        ONNXFusionPart(network, foldBatchNorm: foldBatchNorm, forward: network.logits(features:))
    }
}

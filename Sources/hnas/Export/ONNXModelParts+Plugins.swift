import ExportONNX
import HNASKit
import ModalityText
import SearchDARTS

extension ONNXBackbonePart {
    /// The Maxout text backbone: input `text` [N, inputFeatures]; its features are the two maxout
    /// outputs `MaxoutNetwork.fusionFeatureIndices` names.
    static func maxout(_ network: MaxoutNetwork, inputName: String = "text") -> ONNXBackbonePart {
        func pick<T>(_ list: [T]) -> (T, [T]) { (list.last!, MaxoutNetwork.fusionFeatureIndices.map { list[$0] }) }
        return ONNXBackbonePart(input: GraphValue(name: inputName, shape: .batched([network.inputFeatures])),
                                emit: { builder, x in pick(try network.emitGraph(x, into: builder)) },
                                forward: { x in
                                    network.eval()
                                    return pick(try network.outputs(x))
                                })
    }
}

extension ONNXFusionPart {
    /// A derived fusion network with trained weights.
    static func derived(_ network: TrainedFusionNetwork, foldBatchNorm: Bool = true) -> ONNXFusionPart {
        ONNXFusionPart(emit: { builder, features in try network.emitGraph(features: features, into: builder, foldBatchNorm: foldBatchNorm) },
                       forward: { features in try network.logits(features: features) })
    }
}

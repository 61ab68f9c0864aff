import HNASKit
import HNASSearch

extension ONNXExportPlan {
    /// The whole multimodal model of a model directory (`MultimodalModel`): one input per manifest
    /// input, named after its modality with its preprocessed shape, every backbone's fusion features into
    /// the fusion network, output `logits` (and the features with `features`). The reference forward pass
    /// runs the model's networks as `MultimodalModel.logits` (what `hnas predict` runs) does.
    /// - Throws: `HNASError` naming the backbone or fusion network that has no ONNX mapping, or from the graph check.
    public init(model: MultimodalModel, foldBatchNorm: Bool = true, features: Bool = false) throws {
        let manifest = model.manifest
        let parts = try zip(manifest.inputs, model.networks).map { input, network -> ONNXBackbonePart in
            guard let emitting = network as? any BackboneNetwork & GraphEmittingBackbone else {
                throw HNASError.argument("backbone '\(input.backbone)'", why: "has no ONNX mapping (it cannot emit its graph)")
            }
            return ONNXBackbonePart(emitting, inputName: input.modality, inputShape: input.inputShape,
                                    featureCount: input.fusionFeatures, foldBatchNorm: foldBatchNorm)
        }
        guard let fusion = model.fusion as? any FusionModel & GraphEmittingFusion else {
            throw HNASError.argument("fusion network '\(model.fusion.spec.search)'", why: "has no ONNX mapping (it cannot emit its graph)")
        }
        self = try ONNXExportPlan.multimodal(parts, fusion: ONNXFusionPart(fusion, foldBatchNorm: foldBatchNorm),
                                             name: "hnas-\(manifest.dataset)", features: features)
    }
}

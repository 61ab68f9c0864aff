import HNASKit

/// A network ready for export: its inference graph, and hnas's own evaluation-mode forward pass
/// computing the same outputs — what `ONNXCheckData` records so the file can be verified against it.
public struct ONNXExportPlan {
    public let graph: InferenceGraph
    /// Graph inputs by name → graph outputs by name, computed by hnas's engine.
    public let reference: ([String: Tensor]) throws -> [String: Tensor]

    /// Builds the graph: declares `inputs`, lets `emit` add the operators and name the outputs
    /// (`[(output name, value)]`, in order), then checks the whole graph.
    /// - Throws: `HNASError` from the emission or the check.
    public init(name: String, inputs: [GraphValue], emit: (GraphBuilder, [GraphValue]) throws -> [(String, GraphValue)],
                reference: @escaping ([String: Tensor]) throws -> [String: Tensor]) throws {
        let builder = GraphBuilder(name: name)
        let declared = try inputs.map { try builder.input($0.name, shape: $0.shape) }
        for (outputName, value) in try emit(builder, declared) { try builder.output(value, as: outputName) }
        graph = try builder.build()
        self.reference = reference
    }

    /// Reference data for `Scripts/check_onnx.py`: `batch` random inputs and hnas's outputs on them.
    public func checkData(batch: Int, seed: UInt64 = 0) throws -> ONNXCheckData {
        let inputs = try ONNXCheckData.randomInputs(for: graph, batch: batch, seed: seed)
        return ONNXCheckData(inputs: inputs, expected: try Autograd.withoutGrad { try reference(inputs) })
    }

    /// One OFA MobileNetV3 subnet (the active one of `network`, e.g. an extracted subnet) with the input
    /// `inputName` [N, C, R, R] at the space's resolution and the output `logits`; with `featureCount`,
    /// also the fusion features `feature_0…` that `fusionFeatures(_:count:)` picks.
    /// - Throws: `HNASError` when `featureCount` cannot be picked from the subnet's outputs.
    public static func backbone(_ network: OFAMobileNetV3, inputName: String, featureCount: Int? = nil,
                                foldBatchNorm: Bool = true) throws -> ONNXExportPlan {
        let space = network.space
        let input = GraphValue(name: inputName, shape: .batched([space.inputChannels, space.resolution, space.resolution]))
        func pick<T>(_ list: [T]) throws -> [(String, T)] {
            var named = [("logits", list.last!)]
            if let featureCount {
                let indices = try OFAMobileNetV3.fusionFeatureIndices(outputCount: list.count, count: featureCount)
                named += indices.enumerated().map { ("feature_\($0.offset)", list[$0.element]) }
            }
            return named
        }
        return try ONNXExportPlan(name: "hnas-\(space.variant.rawValue)-\(inputName)", inputs: [input], emit: { builder, inputs in
            try pick(try network.emitGraph(inputs[0], into: builder, foldBatchNorm: foldBatchNorm))
        }, reference: { feeds in
            network.eval()
            return Dictionary(uniqueKeysWithValues: try pick(try network.outputs(feeds[inputName]!)))
        })
    }
}

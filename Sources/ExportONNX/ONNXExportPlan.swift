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

    /// One backbone: its input, the output `logits` and, with `features`, `feature_0…` (its fusion features).
    public static func backbone(_ part: ONNXBackbonePart, name: String, features: Bool) throws -> ONNXExportPlan {
        func named<T>(_ logits: T, _ list: [T]) -> [(String, T)] {
            [("logits", logits)] + (features ? list.enumerated().map { ("feature_\($0.offset)", $0.element) } : [])
        }
        return try ONNXExportPlan(name: name, inputs: [part.input], emit: { builder, inputs in
            let (logits, list) = try part.emit(builder, inputs[0])
            return named(logits, list)
        }, reference: { feeds in
            let (logits, list) = try part.forward(feeds[part.input.name]!)
            return Dictionary(uniqueKeysWithValues: named(logits, list))
        })
    }

    /// A multimodal model: one input per backbone, every backbone's features into `fusion`, the output
    /// `logits` (the fusion network's); with `features`, also `<input>_feature_<k>` for every fusion input.
    /// The backbones' own classifiers are not part of the graph.
    /// - Throws: `HNASError` when two backbones share an input name, or from emission and check.
    public static func multimodal(_ backbones: [ONNXBackbonePart], fusion: ONNXFusionPart, name: String, features: Bool) throws -> ONNXExportPlan {
        let names = backbones.map(\.input.name)
        guard Set(names).count == names.count else {
            throw HNASError.argument("model inputs", why: "two backbones share an input name: \(names.joined(separator: ", "))")
        }
        func named<T>(_ logits: T, _ lists: [[T]]) -> [(String, T)] {
            [("logits", logits)] + (features ? zip(names, lists).flatMap { input, list in
                list.enumerated().map { ("\(input)_feature_\($0.offset)", $0.element) }
            } : [])
        }
        return try ONNXExportPlan(name: name, inputs: backbones.map(\.input), emit: { builder, inputs in
            let lists = try zip(backbones, inputs).map { part, x in try builder.scoped(part.input.name) { try part.emit(builder, x).features } }
            return named(try builder.scoped("fusion") { try fusion.emit(builder, lists.flatMap { $0 }) }, lists)
        }, reference: { feeds in
            let lists = try backbones.map { try $0.forward(feeds[$0.input.name]!).features }
            return Dictionary(uniqueKeysWithValues: named(try fusion.forward(lists.flatMap { $0 }), lists))
        })
    }
}

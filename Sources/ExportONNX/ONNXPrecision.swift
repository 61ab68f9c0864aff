import HNASKit

/// The float type an exported ONNX file computes in.
public enum ONNXPrecision: String, Sendable, CaseIterable {
    /// float32 weights and arithmetic.
    case fp32
    /// float16 weights and arithmetic; the graph's inputs and outputs stay float32, with a `Cast` after
    /// each input and before each output, so callers feed and read the same arrays as for `fp32`.
    case fp16

    /// The ONNX `TensorProto.DataType` of its floats (1 FLOAT, 10 FLOAT16).
    var dataType: Int32 { self == .fp32 ? 1 : 10 }
}

extension InferenceGraph {
    /// The graph computing in float16: a `Cast` to float16 after every input (consumers read the cast),
    /// a `Cast` back to float32 before every output (its producer writes `<name>__fp16`). The float
    /// constants are converted when the file is encoded.
    func castToHalf() -> InferenceGraph {
        var rename: [String: String] = [:]
        for input in inputs { rename[input.name] = input.name + "__fp16" }
        var outputRename: [String: String] = [:]
        for output in outputs { outputRename[output.name] = output.name + "__fp16" }
        var result = self
        result.nodes = inputs.map {
            GraphNode(name: "\($0.name)/Cast", opType: "Cast", inputs: [$0.name], outputs: [$0.name + "__fp16"], attributes: ["to": .int(10)])
        }
        for var node in nodes {
            node.inputs = node.inputs.map { rename[$0] ?? outputRename[$0] ?? $0 }
            node.outputs = node.outputs.map { outputRename[$0] ?? $0 }
            result.nodes.append(node)
        }
        result.nodes += outputs.map {
            GraphNode(name: "\($0.name)/Cast", opType: "Cast", inputs: [$0.name + "__fp16"], outputs: [$0.name], attributes: ["to": .int(1)])
        }
        return result
    }
}

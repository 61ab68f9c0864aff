import Foundation

/// Builds an `InferenceGraph` node by node, the way a network's forward pass runs: each operator
/// is checked and its output shape inferred as it is added (`GraphShapeInference`), so a mistake
/// is reported at the layer that makes it. Node and constant names carry the current scope
/// (`scoped(_:_:)`), e.g. `blocks.3.depth_conv/Conv`, so the file reads like the state dict.
public final class GraphBuilder {
    public let name: String
    private var inputs: [GraphValue] = []
    private var outputs: [GraphValue] = []
    private var constants: [GraphNamedConstant] = []
    private var constantsByName: [String: GraphConstant] = [:]
    private var nodes: [GraphNode] = []
    private var shapes: [String: GraphShape] = [:]
    private var scope: [String] = []

    public init(name: String) { self.name = name }

    /// Runs `body` with `part` appended to the naming scope.
    public func scoped<T>(_ part: String, _ body: () throws -> T) rethrows -> T {
        scope.append(part)
        defer { scope.removeLast() }
        return try body()
    }

    /// The current scope as a dotted prefix (empty at the top).
    private var prefix: String { scope.joined(separator: ".") }

    /// `base`, or `base_2`, `base_3`, … when a value of that name exists (a node is named after its output).
    private func unique(_ base: String) -> String {
        var candidate = base, k = 1
        while shapes[candidate] != nil {
            k += 1
            candidate = "\(base)_\(k)"
        }
        return candidate
    }

    /// Declares a graph input.
    /// - Throws: `HNASError` when the name is taken.
    @discardableResult
    public func input(_ name: String, shape: GraphShape) throws -> GraphValue {
        guard shapes[name] == nil else { throw HNASError.argument("graph input", why: "'\(name)' is declared twice") }
        let value = GraphValue(name: name, shape: shape)
        inputs.append(value)
        shapes[name] = shape
        return value
    }

    /// Adds a float constant (a weight) named `local` within the current scope.
    public func constant(_ tensor: Tensor, _ local: String) -> GraphValue {
        add(.float32(tensor), local)
    }

    /// Adds an int64 constant (a shape or index operand) named `local` within the current scope.
    public func int64(_ values: [Int], _ local: String) -> GraphValue {
        add(.int64(shape: [values.count], values: values.map { Int64($0) }), local)
    }

    private func add(_ value: GraphConstant, _ local: String) -> GraphValue {
        let name = unique(prefix.isEmpty ? local : "\(prefix).\(local)")
        constants.append(GraphNamedConstant(name: name, value: value))
        constantsByName[name] = value
        shapes[name] = .fixed(value.shape)
        return GraphValue(name: name, shape: .fixed(value.shape))
    }

    /// Appends one operator and returns its output.
    /// - Throws: `HNASError` naming the node when an operand is unknown or does not fit (see `GraphShapeInference`).
    @discardableResult
    public func apply(_ opType: String, _ operands: [GraphValue], _ attributes: [String: GraphAttribute] = [:]) throws -> GraphValue {
        let nodeName = unique(prefix.isEmpty ? opType : "\(prefix)/\(opType)")
        let node = GraphNode(name: nodeName, opType: opType, inputs: operands.map(\.name), outputs: [nodeName], attributes: attributes)
        let operandShapes = try operands.map { operand -> GraphShape in
            guard let shape = shapes[operand.name] else {
                throw HNASError.op("\(opType) node '\(nodeName)'", why: "reads '\(operand.name)', which is not defined")
            }
            return shape
        }
        let result = try GraphShapeInference.outputShapes(of: node, operands: operandShapes, constants: constantsByName)[0]
        nodes.append(node)
        shapes[nodeName] = result
        return GraphValue(name: nodeName, shape: result)
    }

    /// Declares `value` a graph output called `name` (through an `Identity` node when it is named otherwise).
    /// - Throws: `HNASError` when the name is taken.
    public func output(_ value: GraphValue, as outputName: String) throws {
        guard !outputs.contains(where: { $0.name == outputName }) else {
            throw HNASError.argument("graph output", why: "'\(outputName)' is declared twice")
        }
        if value.name != outputName {
            guard shapes[outputName] == nil else { throw HNASError.argument("graph output", why: "'\(outputName)' names another value") }
            nodes.append(GraphNode(name: outputName, opType: "Identity", inputs: [value.name], outputs: [outputName]))
            shapes[outputName] = value.shape
        }
        outputs.append(GraphValue(name: outputName, shape: value.shape))
    }

    /// The finished graph, checked as a whole (`InferenceGraph.check()`). Nodes and constants no output
    /// depends on (e.g. a backbone's own classifier in a multimodal model) are left out.
    /// - Throws: `HNASError` when the graph has no output or fails the check.
    public func build() throws -> InferenceGraph {
        guard !outputs.isEmpty else { throw HNASError.op("graph '\(name)'", why: "has no outputs") }
        var needed = Set(outputs.map(\.name))
        var kept: [GraphNode] = []
        for node in nodes.reversed() where node.outputs.contains(where: needed.contains) {
            kept.append(node)
            needed.formUnion(node.inputs)
        }
        let graph = InferenceGraph(name: name, inputs: inputs, outputs: outputs, constants: constants.filter { needed.contains($0.name) },
                                   nodes: kept.reversed())
        try graph.check()
        return graph
    }
}

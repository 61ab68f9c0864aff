/// A named value of an inference graph with its shape (graph inputs and outputs).
public struct GraphValue: Hashable, Sendable {
    public var name: String
    public var shape: GraphShape

    public init(name: String, shape: GraphShape) {
        self.name = name
        self.shape = shape
    }
}

/// A named constant of an inference graph.
public struct GraphNamedConstant: Equatable, Sendable {
    public var name: String
    public var value: GraphConstant

    public init(name: String, value: GraphConstant) {
        self.name = name
        self.value = value
    }
}

/// A network for deployment as a dataflow graph of ONNX operators (default domain): float32 inputs
/// with a dynamic batch axis, constants, nodes in execution order, and named outputs.
///
/// It is what the networks emit (see `GraphBuilder`) and what an exporter serialises; `check()`
/// proves the structure sound before anything is written.
public struct InferenceGraph: Equatable, Sendable {
    public var name: String
    public var inputs: [GraphValue]
    public var outputs: [GraphValue]
    public var constants: [GraphNamedConstant]
    public var nodes: [GraphNode]

    public init(name: String, inputs: [GraphValue], outputs: [GraphValue], constants: [GraphNamedConstant], nodes: [GraphNode]) {
        self.name = name
        self.inputs = inputs
        self.outputs = outputs
        self.constants = constants
        self.nodes = nodes
    }

    /// The operator types the graph uses, sorted.
    public var operatorTypes: [String] { Set(nodes.map(\.opType)).sorted() }

    /// Checks the graph and returns the shape of every value: names are unique (inputs, constants,
    /// node outputs, node names), every node reads only values produced before it, every operator is
    /// one `GraphShapeInference` knows and its operand shapes fit (convolution channels, broadcast,
    /// matrix sizes, reshape element counts, …), and every declared output exists with its declared shape.
    /// - Throws: `HNASError` naming the node or value at fault.
    @discardableResult
    public func check() throws -> [String: GraphShape] {
        var shapes: [String: GraphShape] = [:]
        var constantValues: [String: GraphConstant] = [:]
        func define(_ name: String, _ shape: GraphShape, by whom: String) throws {
            guard !name.isEmpty else { throw HNASError.op("graph '\(self.name)'", why: "\(whom) defines a value with an empty name") }
            guard shapes[name] == nil else {
                throw HNASError.op("graph '\(self.name)'", why: "value '\(name)' is defined twice (again by \(whom))")
            }
            shapes[name] = shape
        }
        for input in inputs { try define(input.name, input.shape, by: "graph input") }
        for constant in constants {
            try define(constant.name, .fixed(constant.value.shape), by: "constant")
            constantValues[constant.name] = constant.value
        }
        var nodeNames = Set<String>()
        for node in nodes {
            guard nodeNames.insert(node.name).inserted else {
                throw HNASError.op("graph '\(name)'", why: "node name '\(node.name)' is used twice")
            }
            let operands = try node.inputs.map { input -> GraphShape in
                guard let shape = shapes[input] else {
                    throw HNASError.op("\(node.opType) node '\(node.name)'", why: "reads '\(input)' before any node produces it")
                }
                return shape
            }
            let results = try GraphShapeInference.outputShapes(of: node, operands: operands, constants: constantValues)
            for (output, shape) in zip(node.outputs, results) { try define(output, shape, by: "node '\(node.name)'") }
        }
        for output in outputs {
            guard let shape = shapes[output.name] else {
                throw HNASError.op("graph '\(name)'", why: "output '\(output.name)' is not produced by any node")
            }
            guard shape == output.shape else {
                throw HNASError.op("graph '\(name)'", why: "output '\(output.name)' is declared \(output.shape.text) but computed \(shape.text)")
            }
        }
        return shapes
    }
}

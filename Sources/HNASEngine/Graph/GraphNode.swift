/// An attribute value of a graph node (the ONNX attribute kinds hnas emits).
public enum GraphAttribute: Equatable, Sendable {
    case int(Int)
    case ints([Int])
    case float(Float)
}

/// One operator application in an inference graph: an ONNX operator type (default domain), the
/// names of the values it reads and writes, and its attributes.
public struct GraphNode: Equatable, Sendable {
    /// A unique node name (for error messages and tools such as Netron).
    public var name: String
    /// The ONNX operator type, e.g. `Conv`.
    public var opType: String
    public var inputs: [String]
    public var outputs: [String]
    /// Attributes by name.
    public var attributes: [String: GraphAttribute]

    public init(name: String, opType: String, inputs: [String], outputs: [String], attributes: [String: GraphAttribute] = [:]) {
        self.name = name
        self.opType = opType
        self.inputs = inputs
        self.outputs = outputs
        self.attributes = attributes
    }

    /// The integer attribute `key`, or `fallback` when it is absent.
    public func int(_ key: String, default fallback: Int) -> Int {
        if case .int(let v)? = attributes[key] { return v }
        return fallback
    }

    /// The integer-list attribute `key`, if present.
    public func ints(_ key: String) -> [Int]? {
        if case .ints(let v)? = attributes[key] { return v }
        return nil
    }

    /// The float attribute `key`, or `fallback` when it is absent.
    public func float(_ key: String, default fallback: Float) -> Float {
        if case .float(let v)? = attributes[key] { return v }
        return fallback
    }
}

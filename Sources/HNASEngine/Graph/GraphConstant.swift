/// A constant of an inference graph (an ONNX initializer): float weights, or int64 operands such
/// as a `Reshape` target shape or `Slice` bounds.
public enum GraphConstant: Equatable, Sendable {
    case float32(Tensor)
    case int64(shape: [Int], values: [Int64])

    /// The constant's shape.
    public var shape: [Int] {
        switch self {
        case .float32(let t): return t.shape
        case .int64(let shape, _): return shape
        }
    }

    /// The int64 values, if this is an int64 constant.
    public var int64Values: [Int64]? {
        if case .int64(_, let values) = self { return values }
        return nil
    }
}

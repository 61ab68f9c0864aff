/// One dimension of a value in an exported inference graph: the dynamic batch axis, or a fixed size.
///
/// Exported networks keep the batch size open (ONNX `dim_param`) and every other size fixed, so
/// shapes can be checked exactly while a deployer still chooses the batch.
public enum GraphDimension: Hashable, Sendable, CustomStringConvertible {
    /// The dynamic batch axis.
    case batch
    /// A known size.
    case fixed(Int)

    /// The size when it is fixed.
    public var size: Int? {
        if case .fixed(let n) = self { return n }
        return nil
    }

    public var description: String {
        switch self {
        case .batch: return "N"
        case .fixed(let n): return String(n)
        }
    }
}

/// A value's shape: its dimensions, outermost first.
public typealias GraphShape = [GraphDimension]

extension Array where Element == GraphDimension {
    /// A shape from fixed sizes.
    public static func fixed(_ sizes: [Int]) -> GraphShape { sizes.map { .fixed($0) } }

    /// `[N, sizes…]`: a batch of `sizes`.
    public static func batched(_ sizes: [Int]) -> GraphShape { [.batch] + fixed(sizes) }

    /// The shape as text, e.g. `[N, 3, 32, 32]`.
    public var text: String { "[" + map(\.description).joined(separator: ", ") + "]" }
}

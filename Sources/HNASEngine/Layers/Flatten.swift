/// Flattens all dimensions after the batch dimension (PyTorch's `nn.Flatten()`).
public final class Flatten: Layer {
    public var isTraining = true
    public init() {}
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try x.flattened(from: 1) }
}

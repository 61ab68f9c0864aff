/// Layers applied in order; children are named "0", "1", … like PyTorch's `nn.Sequential`.
public final class Sequential: Layer {
    public let layers: [Layer]
    public var isTraining = true

    public init(_ layers: [Layer]) { self.layers = layers }

    public var children: [(String, Module)] { layers.enumerated().map { (String($0.offset), $0.element as Module) } }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try layers.reduce(x) { try $1($0) }
    }
}

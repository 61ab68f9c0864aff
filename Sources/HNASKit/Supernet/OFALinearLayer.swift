/// OFA's `LinearLayer` classifier: dropout (only when p > 0, training mode only) then a linear
/// layer with bias. State-dict names `linear.weight`, `linear.bias`.
public final class OFALinearLayer: Layer {
    public let linear: Linear
    public let dropout: Dropout?
    public var isTraining = true

    public init(inFeatures: Int, outFeatures: Int, dropout probability: Float, generator: inout SeededGenerator) {
        linear = Linear(inFeatures: inFeatures, outFeatures: outFeatures, generator: &generator)
        dropout = probability > 0 ? Dropout(probability: probability, generator: generator.fork()) : nil
    }

    public var children: [(String, Module)] {
        (dropout.map { [("dropout", $0 as Module)] } ?? []) + [("linear", linear as Module)]
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try linear(try dropout?(x) ?? x)
    }
}

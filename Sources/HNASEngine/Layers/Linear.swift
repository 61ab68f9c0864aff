/// A fully connected layer (PyTorch's `nn.Linear`): `y = x·weightᵀ + bias`, weight [out, in].
/// Initialised per `WeightInit.LinearScheme` (default uniform ±1/√in), bias 0.
public final class Linear: Layer {
    public let weight: Parameter
    public let bias: Parameter?
    public var isTraining = true

    public init(inFeatures: Int, outFeatures: Int, bias: Bool = true, scheme: WeightInit.LinearScheme = .uniform,
                generator: inout SeededGenerator) {
        weight = Parameter(WeightInit.linear([outFeatures, inFeatures], scheme: scheme, generator: &generator), name: "weight")
        self.bias = bias ? Parameter(Tensor(zeros: [outFeatures]), name: "bias") : nil
    }

    public var localParameters: [(String, Parameter)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try Tensor.linear(x, weight: weight.value, bias: bias?.value)
    }
}

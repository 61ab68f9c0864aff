/// Layer normalisation over the trailing `normalizedShape` dimensions (PyTorch's `nn.LayerNorm`),
/// with element-wise affine weight 1 / bias 0 when `affine`.
public final class LayerNorm: Layer {
    public let normalizedShape: [Int]
    public var eps: Float
    public let weight: Parameter?
    public let bias: Parameter?
    public var isTraining = true

    public init(normalizedShape: [Int], eps: Float = 1e-5, affine: Bool = true) {
        self.normalizedShape = normalizedShape
        self.eps = eps
        weight = affine ? Parameter(Tensor(repeating: 1, shape: normalizedShape), name: "weight") : nil
        bias = affine ? Parameter(Tensor(zeros: normalizedShape), name: "bias") : nil
    }

    public var localParameters: [(String, Parameter)] {
        [("weight", weight), ("bias", bias)].compactMap { name, p in p.map { (name, $0) } }
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try Tensor.layerNorm(x, normalizedShape: normalizedShape, weight: weight?.value, bias: bias?.value, eps: eps)
    }
}

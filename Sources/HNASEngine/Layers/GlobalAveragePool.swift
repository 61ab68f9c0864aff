/// Global average pooling [N, C, H, W] → [N, C, 1, 1] (PyTorch's `nn.AdaptiveAvgPool2d(1)`).
public final class GlobalAveragePool: Layer {
    public var isTraining = true
    public init() {}
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try x.globalAveragePool() }
}

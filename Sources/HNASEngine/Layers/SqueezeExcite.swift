/// Squeeze-and-excite (MobileNetV3): `x · h_sigmoid(expand(relu(reduce(mean_HW(x)))))`, where
/// `reduce` and `expand` are 1×1 convs with bias. Children `reduce`, `expand`.
public final class SqueezeExcite: Layer {
    public let reduce: Conv2d
    public let expand: Conv2d
    public var isTraining = true

    /// `channels` → `reduced` → `channels`.
    public init(channels: Int, reduced: Int, generator: inout SeededGenerator) {
        reduce = Conv2d(inChannels: channels, outChannels: reduced, kernelSize: 1, bias: true, generator: &generator)
        expand = Conv2d(inChannels: reduced, outChannels: channels, kernelSize: 1, bias: true, generator: &generator)
    }

    public var children: [(String, Module)] { [("reduce", reduce), ("expand", expand)] }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let squeezed = try x.globalAveragePool()
        return try x * (try expand(try reduce(squeezed).relu())).hardSigmoid()
    }
}

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
        try x * (try excitation(x))
    }

    /// The per-channel scale `h_sigmoid(expand(relu(reduce(mean_HW(x)))))` ([N, C, 1, 1]) that multiplies
    /// x: apart, so that an inference can apply it inside the convolution after it (`Tensor.projection`).
    public func excitation(_ x: Tensor) throws -> Tensor {
        try expand(try reduce(try x.globalAveragePool()).relu()).hardSigmoid()
    }
}

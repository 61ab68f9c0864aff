/// A 2-D convolution layer (PyTorch's `nn.Conv2d`, dilation 1): `weight` [out, in/groups, k, k], optional `bias` [out].
/// Initialised Kaiming-normal fan-out, bias 0 (see `WeightInit`).
public final class Conv2d: Layer {
    public let weight: Parameter
    public let bias: Parameter?
    public let stride: Int
    public let padding: Int
    public let groups: Int
    public var isTraining = true

    public init(inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                groups: Int = 1, bias: Bool = true, generator: inout SeededGenerator) {
        precondition(inChannels % groups == 0 && outChannels % groups == 0, "channels \(inChannels)→\(outChannels) not divisible by groups \(groups)")
        weight = Parameter(WeightInit.kaimingNormalFanOut([outChannels, inChannels / groups, kernelSize, kernelSize], generator: &generator), name: "weight")
        self.bias = bias ? Parameter(Tensor(zeros: [outChannels]), name: "bias") : nil
        self.stride = stride
        self.padding = padding
        self.groups = groups
    }

    public var localParameters: [(String, Parameter)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try callAsFunction(x, epilogue: nil)
    }

    /// The convolution with an inference `epilogue` on its output planes (see `Tensor.conv2d`).
    public func callAsFunction(_ x: Tensor, epilogue: ChannelEpilogue?) throws -> Tensor {
        try Tensor.conv2d(x, weight: weight.value, bias: bias?.value, stride: stride, padding: padding, groups: groups, epilogue: epilogue)
    }

    /// Output channels.
    public var outChannels: Int { weight.value.shape[0] }
}

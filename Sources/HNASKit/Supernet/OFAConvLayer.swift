/// OFA's `ConvLayer`: a bias-free convolution, optional BatchNorm, then an activation (the stem,
/// the final expand layer and the BN-free feature-mix layer). State-dict names `conv.weight`,
/// `bn.weight`, `bn.running_mean`, ….
public final class OFAConvLayer: Layer {
    public let conv: Conv2d
    public let bn: BatchNorm?
    public let activation: Activation
    public var isTraining = true

    public init(inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int, useBN: Bool, activation: Activation,
                generator: inout SeededGenerator) {
        conv = Conv2d(inChannels: inChannels, outChannels: outChannels, kernelSize: kernelSize, stride: stride,
                      padding: kernelSize / 2, bias: false, generator: &generator)
        bn = useBN ? BatchNorm(features: outChannels) : nil
        self.activation = activation
    }

    public var children: [(String, Module)] {
        [("conv", conv as Module)] + (bn.map { [("bn", $0 as Module)] } ?? [])
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        guard let bn else { return activation.apply(try conv(x)) }
        return try bn.after({ try conv(x, epilogue: $0) }, channels: conv.outChannels, activation: activation)
    }
}

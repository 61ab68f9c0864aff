import HNASKit

/// `ConcatFC` (ReLU) and `CatConvMish` (Mish), SPEC-fusion §3.5–3.6:
/// `Dropout(act(BN(Conv1d_{2C→C}([x; y]))))`. The two differ only in the activation.
final class ConcatConv: FusionOperator {
    let conv: PointwiseConv
    let bn: BatchNorm
    let activation: Activation
    let dropout: Dropout
    var isTraining = true

    init(channels: Int, activation: Activation, dropout p: Float, generator: inout SeededGenerator) {
        conv = PointwiseConv(inChannels: 2 * channels, outChannels: channels, generator: &generator)
        bn = BatchNorm(features: channels)
        self.activation = activation
        dropout = Dropout(probability: p, generator: generator.fork())
    }

    var children: [(String, Module)] { [("conv", conv), ("bn", bn), ("dropout", dropout)] }

    func callAsFunction(_ x: Tensor, _ y: Tensor) throws -> Tensor {
        try dropout(conv([x, y], normalizedBy: bn, activation: activation))
    }
}

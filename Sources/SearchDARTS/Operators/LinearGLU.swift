import HNASKit

/// `LinearGLU` (SPEC-fusion §3.4): `z = BN(Conv1d_{2C→2C}([x; y]))`, then the gated linear unit
/// along channels (first half times the sigmoid of the second half) and Dropout(drpt).
final class LinearGLU: FusionOperator {
    let conv: PointwiseConv
    let bn: BatchNorm
    let dropout: Dropout
    var isTraining = true

    init(channels: Int, dropout p: Float, generator: inout SeededGenerator) {
        conv = PointwiseConv(inChannels: 2 * channels, outChannels: 2 * channels, generator: &generator)
        bn = BatchNorm(features: 2 * channels)
        dropout = Dropout(probability: p, generator: generator.fork())
    }

    var children: [(String, Module)] { [("conv", conv), ("bn", bn), ("dropout", dropout)] }

    func callAsFunction(_ x: Tensor, _ y: Tensor) throws -> Tensor {
        try dropout(conv([x, y], normalizedBy: bn, gated: true))
    }
}

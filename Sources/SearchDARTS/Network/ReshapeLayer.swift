import HNASKit

/// The trainable projection of one input node to the common `[B, C, L]` (SPEC-fusion §1.4 step 4):
/// `Dropout_drpt(ReLU(BN1d_C(Conv1d_{c_in→C, k=1}(a))))` on an already pooled `[B, c_in, L]`
/// feature (see `FeaturePooling`). One per input node, independent weights.
final class ReshapeLayer: Layer {
    let conv: PointwiseConv
    let bn: BatchNorm
    let dropout: Dropout
    var isTraining = true

    init(inChannels: Int, channels: Int, dropout p: Float, generator: inout SeededGenerator) {
        conv = PointwiseConv(inChannels: inChannels, outChannels: channels, generator: &generator)
        bn = BatchNorm(features: channels)
        dropout = Dropout(probability: p, generator: generator.fork())
    }

    var children: [(String, Module)] { [("conv", conv), ("bn", bn), ("dropout", dropout)] }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        try dropout(conv([x], normalizedBy: bn, activation: .relu))
    }
}

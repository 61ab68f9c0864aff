import HNASKit

/// `SE1` and `SE2` (SPEC-fusion §3.7–3.8): squeeze one input over positions, excite the other:
/// `out = other ⊙ σ(ReLU(W·mean_L(squeezed) + b))` (ReLU before the sigmoid, so the gate is in
/// [0.5, 1)). SE1 squeezes `x` and rescales `y`; SE2 squeezes `y` and rescales `x`.
/// The Linear has PyTorch's default init (weight and bias `U(±1/√C)`).
final class SqueezeExciteFusion: FusionOperator {
    enum Squeezed { case first, second }

    let linear: Linear
    let squeezed: Squeezed
    var isTraining = true

    init(channels: Int, squeezed: Squeezed, generator: inout SeededGenerator) {
        linear = Linear(inFeatures: channels, outFeatures: channels, generator: &generator)
        linear.bias?.value = WeightInit.uniform([channels], bound: 1 / Float(channels).squareRoot(), generator: &generator)
        self.squeezed = squeezed
    }

    var children: [(String, Module)] { [("fc", linear)] }

    func callAsFunction(_ x: Tensor, _ y: Tensor) throws -> Tensor {
        let (source, target) = squeezed == .first ? (x, y) : (y, x)
        let gate = try linear(source.mean(axes: [2])).relu().sigmoid()
        return try target * gate.reshaped([gate.shape[0], gate.shape[1], 1])
    }
}

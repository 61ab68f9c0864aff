import HNASKit

/// A 1-D convolution with kernel 1 (PyTorch's `Conv1d(a, b, 1)`): a per-position linear map over
/// channels, `out[n, o, l] = bias[o] + Σ_i W[o, i]·in[n, i, l]` on `[N, a, L]` tensors.
///
/// Weight `[b, a, 1]` and bias `[b]` are drawn from `U(−1/√a, 1/√a)` (PyTorch's default for
/// convolutions). Runs as the engine's `pointwiseConv`: one GEMM over the whole batch, and for
/// several inputs (`Conv1d` of their channel concatenation) without building the concatenation.
final class PointwiseConv: Layer {
    let weight: Parameter
    let bias: Parameter
    var isTraining = true

    init(inChannels: Int, outChannels: Int, generator: inout SeededGenerator) {
        let bound = 1 / Float(max(inChannels, 1)).squareRoot()
        weight = Parameter(WeightInit.uniform([outChannels, inChannels, 1], bound: bound, generator: &generator), name: "weight")
        bias = Parameter(WeightInit.uniform([outChannels], bound: bound, generator: &generator), name: "bias")
    }

    var localParameters: [(String, Parameter)] { [("weight", weight), ("bias", bias)] }

    func callAsFunction(_ x: Tensor) throws -> Tensor { try self([x]) }

    /// The convolution of the channel concatenation of `inputs` (`[N, c_k, L]` each, Σc_k = a).
    func callAsFunction(_ inputs: [Tensor]) throws -> Tensor {
        let w = weight.value
        guard let x = inputs.first, inputs.allSatisfy({ $0.rank == 3 && $0.shape[0] == x.shape[0] && $0.shape[2] == x.shape[2] }),
              inputs.map({ $0.shape[1] }).reduce(0, +) == w.shape[1] else {
            throw HNASError.op("Conv1d", why: "inputs \(inputs.map(\.shape)) are not [N, \(w.shape[1]), L] together")
        }
        return try Tensor.pointwiseConv(inputs, weight: w, bias: bias.value)
    }

    /// `activation(bn(self(inputs)))`, and with `gated` the GLU along channels of `bn(self(inputs))`.
    /// In evaluation mode without gradients the batch norm, activation and GLU run as the product's
    /// epilogue (one pass over memory, same result); otherwise as their own ops.
    func callAsFunction(_ inputs: [Tensor], normalizedBy bn: BatchNorm, activation: Activation = .identity,
                        gated: Bool = false) throws -> Tensor {
        if let epilogue = try bn.inferenceEpilogue(channels: weight.value.shape[0], activation: activation, gated: gated) {
            return try Tensor.pointwiseConv(inputs, weight: weight.value, bias: bias.value, epilogue: epilogue)
        }
        let z = try bn.forward(self(inputs), activation: activation)
        return gated ? try z.glu(axis: 1) : z
    }
}

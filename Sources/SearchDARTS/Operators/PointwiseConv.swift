import HNASKit

/// A 1-D convolution with kernel 1 (PyTorch's `Conv1d(a, b, 1)`): a per-position linear map over
/// channels, `out[n, o, l] = bias[o] + Σ_i W[o, i]·in[n, i, l]` on `[N, a, L]` tensors.
///
/// Weight `[b, a, 1]` and bias `[b]` are drawn from `U(−1/√a, 1/√a)` (PyTorch's default for
/// convolutions). Runs as the engine's 1×1 `conv2d` on `[N, a, L, 1]`.
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

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        let w = weight.value
        guard x.rank == 3, x.shape[1] == w.shape[1] else {
            throw HNASError.op("Conv1d", why: "input \(x.shape) is not [N, \(w.shape[1]), L]")
        }
        let (n, l) = (x.shape[0], x.shape[2])
        let y = try Tensor.conv2d(x.reshaped([n, w.shape[1], l, 1]), weight: w.reshaped([w.shape[0], w.shape[1], 1, 1]),
                                  bias: bias.value)
        return try y.reshaped([n, w.shape[0], l])
    }
}

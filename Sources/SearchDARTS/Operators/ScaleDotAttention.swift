import HNASKit

/// `ScaleDotAttn` (SPEC-fusion §3.3): attention across the L positions with query `x`, key and
/// value `y`, no projections, scaled by √C; then Dropout(0.1) — fixed, not `drpt` — and a
/// LayerNorm over `[C, L]`. No residual.
final class ScaleDotAttention: FusionOperator {
    let channels: Int
    let norm: LayerNorm
    let dropout: Dropout
    var isTraining = true

    init(channels: Int, length: Int, generator: SeededGenerator) {
        self.channels = channels
        norm = LayerNorm(normalizedShape: [channels, length])
        dropout = Dropout(probability: 0.1, generator: generator)
    }

    var children: [(String, Module)] { [("ln", norm), ("dropout", dropout)] }

    func callAsFunction(_ x: Tensor, _ y: Tensor) throws -> Tensor {
        // scores[b, i, j] = Σ_c x[b, c, i]·y[b, c, j] / √C
        let scores = try Tensor.matmul(x, y, transposeA: true, transposeB: false) * (1 / Float(channels).squareRoot())
        let attention = try scores.softmax(axis: -1)
        // out[b, c, i] = Σ_j A[b, i, j]·y[b, c, j]
        let out = try Tensor.matmul(y, attention, transposeA: false, transposeB: true)
        return try norm(dropout(out))
    }
}

import HNASKit

/// Brings a cached backbone feature to the fusion network's `[samples, c, L]` (SPEC-fusion §1.4
/// steps 1–3): a vector `[n, c]` becomes `[n, c, 1, 1]`, a sequence `[n, c, t]` becomes
/// `[n, c, t, 1]`, then an adaptive **max** pool to `p × p` (`p = √L`, PyTorch's window rule
/// `⌊i·H/p⌋ ..< ⌈(i+1)·H/p⌉`, overlapping windows, a 1×1 input replicated) and a row-major flatten.
///
/// The features are frozen backbone outputs, so the pooling runs once on constants before the
/// search (no gradient); the trainable part of the projection is `ReshapeLayer`.
enum FeaturePooling {
    /// - Throws: `HNASError` when `length` is not a perfect square or the feature's rank is not 2–4.
    static func pool(_ feature: Tensor, length: Int) throws -> Tensor {
        let p = Int(Double(length).squareRoot().rounded())
        guard p * p == length, p >= 1 else {
            throw HNASError.argument("length", why: "\(length) is not a perfect square")
        }
        let s = feature.shape
        let (n, c, h, w): (Int, Int, Int, Int)
        switch s.count {
        case 2: (n, c, h, w) = (s[0], s[1], 1, 1)
        case 3: (n, c, h, w) = (s[0], s[1], s[2], 1)
        case 4: (n, c, h, w) = (s[0], s[1], s[2], s[3])
        default: throw HNASError.op("FeaturePooling", why: "feature \(s) is not [n, c], [n, c, t] or [n, c, h, w]")
        }
        func window(_ i: Int, _ size: Int) -> Range<Int> { (i * size / p)..<(((i + 1) * size + p - 1) / p) }
        let source = feature.scalars
        var out = [Float](repeating: 0, count: n * c * length)
        for plane in 0..<(n * c) {
            let base = plane * h * w
            for i in 0..<p {
                for j in 0..<p {
                    var best = -Float.infinity
                    for r in window(i, h) {
                        for q in window(j, w) { best = max(best, source[base + r * w + q]) }
                    }
                    out[plane * length + i * p + j] = best
                }
            }
        }
        return try Tensor(shape: [n, c, length], scalars: out)
    }
}

import HNASKit

/// PyTorch's `F.interpolate(x, size, mode="bilinear", align_corners=False)` (no antialiasing) on a
/// C × H × W float32 tensor, optionally rounded half-to-even to integers afterwards — the MM-IMDB
/// poster resize of the original, which works on integer pixel arrays rather than PIL images.
///
/// Output pixel i samples source position s = scale·(i + ½) − ½ (clamped at 0) with
/// scale = in/out in float32; it mixes source pixels ⌊s⌋ and ⌊s⌋+1 (the last pixel repeats at the
/// border) with weights 1 − (s − ⌊s⌋) and s − ⌊s⌋, as torch does. The weights equal torch's bit
/// for bit; the order of the float32 multiply-adds is not torch's (whose vectorised kernel we do
/// not reproduce), so unrounded values may differ in the last bits, and after rounding a value
/// lying within an ulp of .5 can come out 1 apart (measured: 4 of 57 344 pixels for a
/// 256 × 160 → 224 × 224 poster).
public struct TensorBilinearResize: Equatable, Sendable {
    public let height: Int
    public let width: Int
    /// Whether the result is rounded to integers (ties to even), as `torch.round` does.
    public let roundsToIntegers: Bool

    public init(height: Int, width: Int, roundsToIntegers: Bool) {
        self.height = height
        self.width = width
        self.roundsToIntegers = roundsToIntegers
    }

    /// The resized tensor.
    /// - Throws: `HNASError` unless `input` is a non-empty C × H × W tensor and the target is positive.
    public func apply(_ input: Tensor) throws -> Tensor {
        guard input.shape.count == 3, input.count > 0, height > 0, width > 0 else {
            throw HNASError.op("bilinear resize", why: "expects a non-empty C x H x W tensor and a positive size, got \(input.shape) → \(height)x\(width)")
        }
        let channels = input.shape[0], inHeight = input.shape[1], inWidth = input.shape[2]
        let rows = Self.taps(input: inHeight, output: height)
        let cols = Self.taps(input: inWidth, output: width)
        var out = [Float](repeating: 0, count: channels * height * width)
        let x = input.scalars
        for c in 0..<channels {
            let plane = c * inHeight * inWidth
            for i in 0..<height {
                let r = rows[i]
                let row0 = plane + r.index0 * inWidth, row1 = plane + r.index1 * inWidth
                for j in 0..<width {
                    let q = cols[j]
                    let top = x[row0 + q.index0] * q.weight0 + x[row0 + q.index1] * q.weight1
                    let bottom = x[row1 + q.index0] * q.weight0 + x[row1 + q.index1] * q.weight1
                    let v = top * r.weight0 + bottom * r.weight1
                    out[(c * height + i) * width + j] = roundsToIntegers ? v.rounded(.toNearestOrEven) : v
                }
            }
        }
        return try Tensor(shape: [channels, height, width], scalars: out)
    }

    /// The two source indices and weights of each output index along one axis.
    private static func taps(input: Int, output: Int) -> [(index0: Int, index1: Int, weight0: Float, weight1: Float)] {
        let scale = Float(input) / Float(output)
        return (0..<output).map { i in
            // torch evaluates scale·(i + ½) − ½ as one fused multiply-add; so do we (its weights
            // then match bit for bit, see the fixture test).
            let source = max((-0.5 as Float).addingProduct(scale, Float(i) + 0.5), 0)
            let index0 = min(Int(source), input - 1)
            let index1 = index0 + (index0 < input - 1 ? 1 : 0)
            let lambda = min(max(source - Float(index0), 0), 1)
            return (index0, index1, 1 - lambda, lambda)
        }
    }
}

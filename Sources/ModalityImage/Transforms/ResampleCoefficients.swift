/// The fixed-point weights with which each output pixel of one axis mixes its source pixels,
/// following the algorithm of PIL's `Image.resize` (ImagingResample) on 8-bit images.
///
/// The kernel is stretched by the downscale factor (so downscaling low-pass filters, i.e.
/// antialiases), output pixel `i` is centred on source position (i + ½)·scale, the taps are the
/// source pixels whose centres fall within the stretched support, and the weights are normalised
/// to sum to 1 and then rounded (half away from zero) to integers with 22 fractional bits.
struct ResampleCoefficients {
    /// Fractional bits of the weights: 32 − 8 (sample bits) − 2 (headroom), as in PIL.
    static let precisionBits: Int32 = 22

    /// Taps per output pixel (the stretched kernel's width, rounded up, both sides, plus one).
    let taps: Int
    /// First source index of each output pixel.
    let first: [Int]
    /// Number of used taps of each output pixel (≤ `taps`).
    let count: [Int]
    /// `taps` weights per output pixel; unused taps are 0.
    let weights: [Int32]

    init(inputSize: Int, outputSize: Int, filter: ResampleFilter) {
        let scale = Double(inputSize) / Double(outputSize)
        let filterScale = max(scale, 1)
        let support = filter.support * filterScale
        taps = Int(support.rounded(.up)) * 2 + 1
        var first = [Int](repeating: 0, count: outputSize)
        var count = [Int](repeating: 0, count: outputSize)
        var weights = [Int32](repeating: 0, count: outputSize * taps)
        var kernel = [Double](repeating: 0, count: taps)
        let one = Double(1 << Self.precisionBits)
        for i in 0..<outputSize {
            let center = (Double(i) + 0.5) * scale
            // C's (int) conversion truncates towards zero; PIL then clamps to the image.
            let lo = max(Int((center - support + 0.5).rounded(.towardZero)), 0)
            let hi = min(Int((center + support + 0.5).rounded(.towardZero)), inputSize)
            let n = hi - lo
            var total = 0.0
            for k in 0..<n {
                let w = filter.weight((Double(k + lo) - center + 0.5) / filterScale)
                kernel[k] = w
                total += w
            }
            for k in 0..<n {
                let w = total != 0 ? kernel[k] / total : kernel[k]
                weights[i * taps + k] = Int32((w * one + (w < 0 ? -0.5 : 0.5)).rounded(.towardZero))
            }
            first[i] = lo
            count[i] = n
        }
        self.first = first
        self.count = count
        self.weights = weights
    }

    /// A fixed-point sum (with PIL's rounding offset already included) as an 8-bit sample.
    @inline(__always)
    static func clip(_ sum: Int32) -> UInt8 {
        let v = sum >> precisionBits
        return v < 0 ? 0 : (v > 255 ? 255 : UInt8(truncatingIfNeeded: v))
    }

    /// The rounding offset every sum starts from (one half in fixed point).
    static let half: Int32 = 1 << (precisionBits - 1)
}

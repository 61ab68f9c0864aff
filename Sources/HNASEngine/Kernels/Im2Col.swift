/// Unfolding of one sample's channels into convolution columns and back.
///
/// The column matrix has one row per (channel, ky, kx) and one column per output position
/// (oy, ox), row-major: `columns[((c·kH + ky)·kW + kx)·outPlane + oy·outWidth + ox]` is the input
/// pixel under kernel tap (ky, kx) of output (oy, ox), or 0 where that tap falls in the padding.
/// A k×k convolution of `channels` channels is then one GEMM with this matrix.
enum Im2Col {
    /// Fills `columns` from `channels` planes of `input` (each `inHeight × inWidth`); with `splitting`, a
    /// matrix of at least 64 K floats is filled by the workers, tap rows shared out (a batch-1 network's
    /// first convolution, 27 × 112 × 112 floats for mmimdb, would otherwise run alone on one core).
    static func unfold(_ g: ConvGeometry, channels: Int, input: UnsafePointer<Float>, columns: UnsafeMutablePointer<Float>,
                       splitting: Bool = false) {
        let taps = channels * g.kernelArea
        guard splitting, taps * g.outPlane >= 1 << 16 else { return unfold(g, taps: 0..<taps, input: input, columns: columns) }
        Parallel.forEachRange(taps) { unfold(g, taps: $0, input: input, columns: columns) }
    }

    /// Fills the column-matrix rows `taps` (channel · kernel area + ky · kernel width + kx).
    private static func unfold(_ g: ConvGeometry, taps: Range<Int>, input: UnsafePointer<Float>, columns: UnsafeMutablePointer<Float>) {
        let oW = g.outWidth
        forEachRow(g, taps: taps) { column, start, xs, firstColumn in
            let dst = columns + column
            guard let start, !xs.isEmpty else {
                dst.update(repeating: 0, count: oW)
                return
            }
            dst.update(repeating: 0, count: xs.lowerBound)
            let src = input + start
            if g.strideW == 1 {
                (dst + xs.lowerBound).update(from: src + xs.lowerBound, count: xs.count)
            } else if g.strideW == 2 {
                // Output o reads input column firstColumn + 2·o of this row: 8 outputs are the even
                // floats of 16 consecutive inputs, while those 16 stay inside the row.
                var ox = xs.lowerBound
                while ox + 8 <= xs.upperBound && firstColumn + 2 * ox + 16 <= g.inWidth {
                    let v = SIMD16(lowHalf: SIMDCorrelation.load(src + 2 * ox), highHalf: SIMDCorrelation.load(src + 2 * ox + 8))
                    SIMDCorrelation.store(v.evenHalf, dst + ox)
                    ox += 8
                }
                for o in ox..<xs.upperBound { dst[o] = src[o * 2] }
            } else {
                for ox in xs { dst[ox] = src[ox * g.strideW] }
            }
            (dst + xs.upperBound).update(repeating: 0, count: oW - xs.upperBound)
        }
    }

    /// Adds `columns` back onto `channels` planes of `input` (the adjoint of `unfold`);
    /// `input` must be initialised (zeroed for a fresh gradient).
    static func foldAdding(_ g: ConvGeometry, channels: Int, columns: UnsafePointer<Float>, input: UnsafeMutablePointer<Float>) {
        forEachRow(g, taps: 0..<(channels * g.kernelArea)) { column, start, xs, _ in
            guard let start else { return }
            let src = columns + column, dst = input + start
            for ox in xs { dst[ox * g.strideW] += src[ox] }
        }
    }

    /// Calls `body(column, start, xs, firstColumn)` for every column-matrix row t = (c, ky, kx) in `taps` and
    /// output row oy: `column` is where that output row of row t starts, `start` the input offset that output
    /// column o reads at `start + o·strideW` (nil when the input row is padding), `xs` the output columns
    /// whose input lies inside the row, and `firstColumn` the input column output 0 would read (kx − padW).
    @inline(__always)
    private static func forEachRow(_ g: ConvGeometry, taps: Range<Int>,
                                   _ body: (_ column: Int, _ start: Int?, _ xs: Range<Int>, _ firstColumn: Int) -> Void) {
        let oH = g.outHeight, oW = g.outWidth
        for t in taps {
            let c = t / g.kernelArea, ky = t % g.kernelArea / g.kernelWidth, kx = t % g.kernelWidth
            let row = t * oH * oW
            let xs = validOutputs(out: oW, stride: g.strideW, pad: g.padW, tap: kx, size: g.inWidth)
            for oy in 0..<oH {
                let iy = oy * g.strideH - g.padH + ky
                let inside = iy >= 0 && iy < g.inHeight
                body(row + oy * oW, inside ? c * g.inPlane + iy * g.inWidth - g.padW + kx : nil, xs, kx - g.padW)
            }
        }
    }

    /// The output positions `o` whose input index `o·stride − pad + tap` lies in `0..<size`.
    static func validOutputs(out: Int, stride: Int, pad: Int, tap: Int, size: Int) -> Range<Int> {
        // o·stride ≥ pad − tap  and  o·stride ≤ size − 1 + pad − tap.
        let low = max(0, ceilDiv(pad - tap, stride))
        let high = min(out, floorDiv(size - 1 + pad - tap, stride) + 1)
        return low..<max(low, high)
    }

    private static func ceilDiv(_ a: Int, _ b: Int) -> Int { -floorDiv(-a, b) }
    private static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
}

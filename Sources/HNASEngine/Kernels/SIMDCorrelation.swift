import CKernels

/// The vector inner loops of the depthwise convolution, on `PaddedPlane` buffers.
///
/// A kernel tap t is an offset into the padded source (row · rowLength + phase · phaseSize + column
/// shift); an output block (7 or 8 rows × 8 columns) at (oy, ox) reads `source + oy·rowStep + ox +
/// offset[t]`. Both loops keep 7–8 independent accumulators so that two FMA units with 4-cycle
/// latency stay busy. Correlations whose taps form a grid of at most 8 rows (the forward, the input
/// gradient, and the weight gradient of kernels up to 8×8 with output-gradient rows as taps) go to
/// the C kernel `hnas_ck_depthwise_rows`, which loads each source row once per kernel column instead
/// of once per tap (`correlateGrid`).
enum SIMDCorrelation {
    /// Output rows computed together, sharing each broadcast weight: 7 for heights that are
    /// multiples of 7 but not of 8 (the 7×7, 14×14, 28×28 planes of MobileNets, which 8-row blocks
    /// would pad by 1/8), else 8. A height rounded up to its block rows keeps the same block rows.
    static func blockRows(for height: Int) -> Int { height % 7 == 0 && height % 8 != 0 ? 7 : 8 }

    /// `height` rounded up to whole blocks of `blockRows(for: height)` rows.
    static func paddedRows(_ height: Int) -> Int { PaddedPlane.roundUp(height, blockRows(for: height)) }

    /// The offsets of a kH × kW kernel's taps (row-major) in a padded plane.
    static func tapOffsets(kernelHeight: Int, kernelWidth: Int, plane: PaddedPlane) -> [Int] {
        (0..<(kernelHeight * kernelWidth)).map { t in
            let ky = t / kernelWidth, kx = t % kernelWidth
            return ky * plane.rowLength + (kx % plane.phases) * plane.phaseSize + kx / plane.phases
        }
    }

    /// The column part of `tapOffsets` for each kernel column kx (phase · phaseSize + kx / phases).
    static func columnOffsets(kernelWidth: Int, plane: PaddedPlane) -> [Int] {
        (0..<kernelWidth).map { kx in (kx % plane.phases) * plane.phaseSize + kx / plane.phases }
    }

    /// `correlate` for taps on a `kernelHeight × kernelWidth` grid: tap (ky, kx), weight
    /// `weights[ky·kernelWidth + kx]`, at offset `ky·sourceRowLength + columnOffsets[kx]` (`taps` lists the
    /// same offsets row-major), output row r reading from source row `rowStride·r`. Source rows outside
    /// `sourceRows` (relative to `source`) must be zero: the C kernel skips them. Grids of at most 8 rows
    /// at row stride 1 or 2 run in C (summed kernel column by column), the rest in `correlate`.
    static func correlateGrid(source: UnsafePointer<Float>, sourceRowLength: Int, rowStride: Int, columnOffsets: UnsafePointer<Int>,
                              taps: UnsafePointer<Int>, weights: UnsafePointer<Float>, kernelHeight: Int, kernelWidth: Int,
                              initial: Float?, output: UnsafeMutablePointer<Float>, rows: Int, rowLength: Int, sourceRows: Range<Int>) {
        let handled = hnas_ck_depthwise_rows(source, sourceRowLength, rowStride, columnOffsets, weights, kernelHeight, kernelWidth,
                                             initial == nil ? 1 : 0, initial ?? 0, output, rows, blockRows(for: rows), rowLength,
                                             sourceRows.lowerBound, sourceRows.upperBound)
        if handled == 0 {
            correlate(source: source, rowStep: sourceRowLength * rowStride, taps: taps, weights: weights,
                      count: kernelHeight * kernelWidth, initial: initial, output: output, rows: rows, rowLength: rowLength)
        }
    }

    /// `output[r][x] = initial + Σ_t weights[t] · source[r·rowStep + x + taps[t]]` for every row
    /// `r < rows` and column `x < rowLength` of the output (`rows` from `paddedRows`, `rowLength`
    /// a multiple of 8: whole blocks), whose rows are `rowLength` apart. A nil `initial` adds to the
    /// output's current values.
    static func correlate(source: UnsafePointer<Float>, rowStep: Int, taps: UnsafePointer<Int>, weights: UnsafePointer<Float>,
                          count: Int, initial: Float?, output: UnsafeMutablePointer<Float>, rows: Int, rowLength: Int) {
        if blockRows(for: rows) == 7 {
            correlate(SevenRows.self, source: source, rowStep: rowStep, taps: taps, weights: weights, count: count,
                      initial: initial, output: output, rows: rows, rowLength: rowLength)
        } else {
            correlate(EightRows.self, source: source, rowStep: rowStep, taps: taps, weights: weights, count: count,
                      initial: initial, output: output, rows: rows, rowLength: rowLength)
        }
    }

    /// Block heights as types, so that each specialisation of the block loop has a constant
    /// number of accumulators.
    private protocol BlockHeight { static var rows: Int { get } }
    private enum SevenRows: BlockHeight { static var rows: Int { 7 } }
    private enum EightRows: BlockHeight { static var rows: Int { 8 } }

    @inline(__always)
    private static func correlate<H: BlockHeight>(_: H.Type, source: UnsafePointer<Float>, rowStep: Int, taps: UnsafePointer<Int>,
                                                  weights: UnsafePointer<Float>, count: Int, initial: Float?,
                                                  output: UnsafeMutablePointer<Float>, rows: Int, rowLength: Int) {
        let stride = rowLength, eight = H.rows == 8
        for oy in Swift.stride(from: 0, to: rows, by: H.rows) {
            for ox in Swift.stride(from: 0, to: stride, by: 8) {
                let base = source + oy * rowStep + ox
                let out = output + oy * stride + ox
                var a0, a1, a2, a3, a4, a5, a6, a7: SIMD8<Float>
                if let initial {
                    a0 = SIMD8(repeating: initial); a1 = a0; a2 = a0; a3 = a0; a4 = a0; a5 = a0; a6 = a0; a7 = a0
                } else {
                    a0 = load(out); a1 = load(out + stride); a2 = load(out + 2 * stride); a3 = load(out + 3 * stride)
                    a4 = load(out + 4 * stride); a5 = load(out + 5 * stride); a6 = load(out + 6 * stride)
                    a7 = eight ? load(out + 7 * stride) : SIMD8()
                }
                for t in 0..<count {
                    let w = SIMD8<Float>(repeating: weights[t])
                    let p = base + taps[t]
                    a0 = a0.addingProduct(load(p), w)
                    a1 = a1.addingProduct(load(p + rowStep), w)
                    a2 = a2.addingProduct(load(p + 2 * rowStep), w)
                    a3 = a3.addingProduct(load(p + 3 * rowStep), w)
                    a4 = a4.addingProduct(load(p + 4 * rowStep), w)
                    a5 = a5.addingProduct(load(p + 5 * rowStep), w)
                    a6 = a6.addingProduct(load(p + 6 * rowStep), w)
                    if eight { a7 = a7.addingProduct(load(p + 7 * rowStep), w) }
                }
                store(a0, out)
                store(a1, out + stride)
                store(a2, out + 2 * stride)
                store(a3, out + 3 * stride)
                store(a4, out + 4 * stride)
                store(a5, out + 5 * stride)
                store(a6, out + 6 * stride)
                if eight { store(a7, out + 7 * stride) }
            }
        }
    }

    /// `sums[t] += Σ_{r < rows, x} gradient[r][x] · source[r·rowStep + x + taps[t]]`, lane by lane
    /// (8 lanes per tap, reduced by the caller); `gradient`'s padding columns must be zero.
    /// Taps go 8 at a time (8 independent accumulators), the rest one by one.
    static func accumulateTapSums(source: UnsafePointer<Float>, rowStep: Int, taps: UnsafePointer<Int>, count: Int,
                                  gradient: UnsafePointer<Float>, plane: PaddedPlane, rows: Int, sums: UnsafeMutablePointer<Float>) {
        let stride = plane.rowLength
        let whole = count / 8 * 8
        for t in Swift.stride(from: 0, to: whole, by: 8) {
            let s = sums + 8 * t
            var s0 = load(s), s1 = load(s + 8), s2 = load(s + 16), s3 = load(s + 24)
            var s4 = load(s + 32), s5 = load(s + 40), s6 = load(s + 48), s7 = load(s + 56)
            let o0 = taps[t], o1 = taps[t + 1], o2 = taps[t + 2], o3 = taps[t + 3]
            let o4 = taps[t + 4], o5 = taps[t + 5], o6 = taps[t + 6], o7 = taps[t + 7]
            for oy in 0..<rows {
                let base = source + oy * rowStep
                let dyRow = gradient + oy * stride
                for ox in Swift.stride(from: 0, to: stride, by: 8) {
                    let d = load(dyRow + ox), p = base + ox
                    s0 = s0.addingProduct(load(p + o0), d)
                    s1 = s1.addingProduct(load(p + o1), d)
                    s2 = s2.addingProduct(load(p + o2), d)
                    s3 = s3.addingProduct(load(p + o3), d)
                    s4 = s4.addingProduct(load(p + o4), d)
                    s5 = s5.addingProduct(load(p + o5), d)
                    s6 = s6.addingProduct(load(p + o6), d)
                    s7 = s7.addingProduct(load(p + o7), d)
                }
            }
            store(s0, s)
            store(s1, s + 8)
            store(s2, s + 16)
            store(s3, s + 24)
            store(s4, s + 32)
            store(s5, s + 40)
            store(s6, s + 48)
            store(s7, s + 56)
        }
        for t in whole..<count {
            // Odd kernels have k² ≡ 1 (mod 8): usually one tap left. Two accumulators (even and
            // odd rows) halve the FMA dependency chain.
            let s = sums + 8 * t, offset = taps[t]
            var even = load(s), odd = SIMD8<Float>()
            for oy in 0..<rows {
                let p = source + oy * rowStep + offset, dyRow = gradient + oy * stride
                var sum = oy % 2 == 0 ? even : odd
                for ox in Swift.stride(from: 0, to: stride, by: 8) {
                    sum = sum.addingProduct(load(p + ox), load(dyRow + ox))
                }
                if oy % 2 == 0 { even = sum } else { odd = sum }
            }
            store(even + odd, s)
        }
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    static func load(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> { load(UnsafePointer(p)) }

    @inline(__always)
    static func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }
}

/// The vector inner loops of the depthwise convolution, on `PaddedPlane` buffers.
///
/// A kernel tap t is an offset into the padded source (row · rowLength + phase · phaseSize + column
/// shift); output block (4 rows × 8 columns) at (oy, ox) reads `source + oy·rowStep + ox + offset[t]`.
enum SIMDCorrelation {
    /// Output rows computed together, sharing each broadcast weight.
    static let blockRows = 4

    /// The tap offsets of a kH × kW kernel in a padded plane, padded with zero offsets to a
    /// multiple of 4 taps (for `accumulateTapSums`).
    struct Taps {
        let plane: PaddedPlane
        let kernelHeight, kernelWidth: Int
        var count: Int { kernelHeight * kernelWidth }
        var paddedCount: Int { PaddedPlane.roundUp(count, 4) }

        /// The offsets, written into this thread's scratch (as integer bit patterns in a Float slot).
        func offsets(_ context: ThreadContext) -> UnsafePointer<Int> {
            let raw = UnsafeMutableRawPointer(context.scratch(ScratchSlot.tapOffsets, count: paddedCount * 2))
            let offsets = raw.bindMemory(to: Int.self, capacity: paddedCount)
            for t in 0..<paddedCount {
                guard t < count else { offsets[t] = 0; continue }
                let ky = t / kernelWidth, kx = t % kernelWidth
                offsets[t] = ky * plane.rowLength + (kx % plane.phases) * plane.phaseSize + kx / plane.phases
            }
            return UnsafePointer(offsets)
        }
    }

    /// `output[r][x] = initial + Σ_t weights[t] · source[r·rowStep + x + taps[t]]` for every row and
    /// column of `result`'s padded layout (whole 4×8 blocks).
    static func correlate(source: UnsafePointer<Float>, rowStep: Int, taps: UnsafePointer<Int>, weights: UnsafePointer<Float>,
                          count: Int, initial: Float, output: UnsafeMutablePointer<Float>, result: PaddedPlane) {
        let stride = result.rowLength
        for oy in Swift.stride(from: 0, to: result.rows, by: blockRows) {
            for ox in Swift.stride(from: 0, to: stride, by: 8) {
                let base = source + oy * rowStep + ox
                var a0 = SIMD8<Float>(repeating: initial), a1 = a0, a2 = a0, a3 = a0
                for t in 0..<count {
                    let w = SIMD8<Float>(repeating: weights[t])
                    let p = base + taps[t]
                    a0 = a0.addingProduct(load(p), w)
                    a1 = a1.addingProduct(load(p + rowStep), w)
                    a2 = a2.addingProduct(load(p + 2 * rowStep), w)
                    a3 = a3.addingProduct(load(p + 3 * rowStep), w)
                }
                let out = output + oy * stride + ox
                store(a0, out)
                store(a1, out + stride)
                store(a2, out + 2 * stride)
                store(a3, out + 3 * stride)
            }
        }
    }

    /// `sums[t] += Σ_{r < rows, x} gradient[r][x] · source[r·rowStep + x + taps[t]]`, lane by lane
    /// (8 lanes per tap, reduced by the caller); `gradient`'s padding columns must be zero.
    static func accumulateTapSums(source: UnsafePointer<Float>, rowStep: Int, taps: UnsafePointer<Int>, count: Int,
                                  gradient: UnsafePointer<Float>, plane: PaddedPlane, rows: Int, sums: UnsafeMutablePointer<Float>) {
        let stride = plane.rowLength
        for t in Swift.stride(from: 0, to: count, by: 4) {
            var s0 = load(sums + 8 * t), s1 = load(sums + 8 * t + 8), s2 = load(sums + 8 * t + 16), s3 = load(sums + 8 * t + 24)
            let o0 = taps[t], o1 = taps[t + 1], o2 = taps[t + 2], o3 = taps[t + 3]
            for oy in 0..<rows {
                let base = source + oy * rowStep
                let dyRow = gradient + oy * stride
                for ox in Swift.stride(from: 0, to: stride, by: 8) {
                    let d = load(dyRow + ox), p = base + ox
                    s0 = s0.addingProduct(load(p + o0), d)
                    s1 = s1.addingProduct(load(p + o1), d)
                    s2 = s2.addingProduct(load(p + o2), d)
                    s3 = s3.addingProduct(load(p + o3), d)
                }
            }
            store(s0, sums + 8 * t)
            store(s1, sums + 8 * t + 8)
            store(s2, sums + 8 * t + 16)
            store(s3, sums + 8 * t + 24)
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

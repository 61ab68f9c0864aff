/// Layout of one zero-padded channel plane in scratch, for the SIMD convolution loops.
///
/// The buffer holds `phases` sub-planes of `rows × rowLength` floats. Source element (y, x) lands
/// in row `y·rowScale + top` and padded column `j = x·columnScale + left`, stored in phase
/// `j % phases` at index `j / phases`: with `phases` equal to the convolution's column stride,
/// output column o and kernel column kx read phase `kx % stride`, index `o + kx / stride`, so
/// 8 neighbouring outputs are 8 contiguous floats. `rowScale`/`columnScale` > 1 spread the source
/// out (the stride-dilated gradient of the transposed convolution). Rows and row lengths include
/// the slack the 4-row × 8-column blocks read past the last real output.
struct PaddedPlane {
    let sourceHeight, sourceWidth: Int
    let rows, rowLength, phases: Int
    let top, left, rowScale, columnScale: Int

    var phaseSize: Int { rows * rowLength }
    var count: Int { phases * phaseSize }

    /// The input of a convolution with `g`'s padding, split into `strideW` phases.
    static func forInput(_ g: ConvGeometry) -> PaddedPlane {
        let s = g.strideW
        let blockRows = roundUp(g.outHeight, SIMDCorrelation.blockRows)
        let rows = max((blockRows - 1) * g.strideH + g.kernelHeight, g.inHeight + g.padH)
        let rowLength = max(roundUp(g.outWidth, 8) + (g.kernelWidth - 1) / s, (g.inWidth - 1 + g.padW) / s + 1)
        return PaddedPlane(sourceHeight: g.inHeight, sourceWidth: g.inWidth, rows: rows, rowLength: rowLength, phases: s,
                           top: g.padH, left: g.padW, rowScale: 1, columnScale: 1)
    }

    /// The output gradient of `g` dilated by its strides and padded by kernel − 1 − pad on the top
    /// and left, so that a stride-1 correlation with the flipped kernel yields the input gradient.
    static func forDilatedGradient(_ g: ConvGeometry) -> PaddedPlane {
        let rows = roundUp(g.inHeight, SIMDCorrelation.blockRows) + g.kernelHeight - 1
        let rowLength = roundUp(g.inWidth, 8) + g.kernelWidth - 1
        return PaddedPlane(sourceHeight: g.outHeight, sourceWidth: g.outWidth, rows: rows, rowLength: rowLength, phases: 1,
                           top: g.kernelHeight - 1 - g.padH, left: g.kernelWidth - 1 - g.padW,
                           rowScale: g.strideH, columnScale: g.strideW)
    }

    /// A `height × width` result (or gradient) plane with rows rounded up to whole 4×8 blocks.
    static func result(height: Int, width: Int) -> PaddedPlane {
        PaddedPlane(sourceHeight: height, sourceWidth: width, rows: roundUp(height, SIMDCorrelation.blockRows),
                    rowLength: roundUp(width, 8), phases: 1, top: 0, left: 0, rowScale: 1, columnScale: 1)
    }

    /// Zeroes `buffer` and returns it. `fill` only ever writes the source positions, so the
    /// padding stays zero across fills of the same layout.
    func prepare(_ buffer: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<Float> {
        buffer.update(repeating: 0, count: count)
        return buffer
    }

    /// Copies a `sourceHeight × sourceWidth` plane into its padded positions.
    func fill(_ buffer: UnsafeMutablePointer<Float>, from source: UnsafePointer<Float>) {
        for y in 0..<sourceHeight {
            let row = buffer + (y * rowScale + top) * rowLength
            let src = source + y * sourceWidth
            if phases == 1 && columnScale == 1 {
                Self.copy(src, to: row + left, count: sourceWidth)
            } else {
                // Padded column j = x·columnScale + left = index·phases + phase, stepped without dividing.
                var index = left / phases, phase = left % phases
                for x in 0..<sourceWidth {
                    row[phase * phaseSize + index] = src[x]
                    phase += columnScale
                    while phase >= phases {
                        phase -= phases
                        index += 1
                    }
                }
            }
        }
    }

    /// Copies the top-left `sourceHeight × sourceWidth` of a result plane to a dense plane.
    func crop(_ buffer: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>) {
        for y in 0..<sourceHeight {
            Self.copy(buffer + y * rowLength, to: destination + y * sourceWidth, count: sourceWidth)
        }
    }

    /// A short non-overlapping copy, inlined (rows here are a few dozen floats; a `memmove` call
    /// per row costs more than the copy).
    @inline(__always)
    static func copy(_ source: UnsafePointer<Float>, to destination: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 8 <= count {
            SIMDCorrelation.store(SIMDCorrelation.load(source + i), destination + i)
            i += 8
        }
        while i < count {
            destination[i] = source[i]
            i += 1
        }
    }

    static func roundUp(_ value: Int, _ multiple: Int) -> Int { (value + multiple - 1) / multiple * multiple }
}

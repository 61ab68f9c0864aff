/// Layout of one zero-padded channel plane in scratch, for the SIMD convolution loops.
///
/// The buffer holds `phases` sub-planes of `rows × rowLength` floats. Source element (y, x) lands
/// in row `y + top` and padded column `j = x + left`, stored in phase `j % phases` at index
/// `j / phases`: with `phases` equal to the convolution's column stride, output column o and kernel
/// column kx read phase `kx % stride`, index `o + kx / stride`, so 8 neighbouring outputs are 8
/// contiguous floats. Rows and row lengths include the slack the (7 or 8)-row × 8-column blocks of
/// `SIMDCorrelation` read past the last real output, and unsplit rows hold `left` plus the source
/// width rounded up to 8 (for `fill`'s whole-vector copies).
struct PaddedPlane {
    let sourceHeight, sourceWidth: Int
    let rows, rowLength, phases: Int
    let top, left: Int
    /// For each source column x, its offset within a padded row (phase · phaseSize + index).
    let columnOffsets: [Int]
    /// Lanes of a row's last vector that lie past the source width (one phase), and of the even and
    /// odd halves of a row's last 16 floats (two phases).
    let tailMask, evenTailMask, oddTailMask: SIMDMask<SIMD8<Int32>>
    /// Rows `fill` and `crop` copy as whole vectors (see `fill`).
    let vectorRows: Int

    init(sourceHeight: Int, sourceWidth: Int, rows: Int, rowLength: Int, phases: Int = 1, top: Int = 0, left: Int = 0) {
        self.sourceHeight = sourceHeight
        self.sourceWidth = sourceWidth
        self.rows = rows
        self.rowLength = rowLength
        self.phases = phases
        self.top = top
        self.left = left
        columnOffsets = (0..<sourceWidth).map { x in ((x + left) % phases) * rows * rowLength + (x + left) / phases }
        let lanes = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)
        tailMask = lanes .>= SIMD8(repeating: Int32((sourceWidth - 1) % 8 + 1))
        let lastPair = Int32((sourceWidth - 1) % 16 + 1)  // floats in the last 16-float chunk
        evenTailMask = 2 &* lanes .>= SIMD8(repeating: lastPair)
        oddTailMask = 2 &* lanes &+ 1 .>= SIMD8(repeating: lastPair)
        // Rows y (never the last) whose whole-vector span y·width ..< y·width + roundUp(width, 8·phases)
        // stays inside the height × width plane.
        let span = Self.roundUp(sourceWidth, phases == 2 ? 16 : 8), size = sourceHeight * sourceWidth
        vectorRows = size >= span ? min(sourceHeight - 1, (size - span) / sourceWidth + 1) : 0
    }

    var phaseSize: Int { rows * rowLength }
    var count: Int { phases * phaseSize }

    /// Where `prepare` puts this layout in its scratch (which starts on a 64-byte boundary) so that `fill`'s
    /// whole-vector stores of one phase never straddle a cache line: `left` floats past a multiple of 8, every
    /// row then starts its source positions on an 8-float boundary when `rowLength` is a multiple of 8.
    /// With `left` of 1 to 3 (a 3×3 to 7×7 kernel's padding) nearly half of the stores crossed a line: in a
    /// profile of a 3×3 depthwise layer on 112×112 planes, 41 % of the copy's time sat on its store.
    var alignedStart: Int { phases == 1 && rowLength % 8 == 0 ? (8 - left % 8) % 8 : 0 }

    /// The input of a convolution with `g`'s padding, split into `strideW` phases.
    static func forInput(_ g: ConvGeometry) -> PaddedPlane {
        let s = g.strideW
        let blockRows = SIMDCorrelation.paddedRows(g.outHeight)
        // At stride 1, also room for the weight gradient's correlation (`DepthwiseConv`), whose
        // blocks run over kernel positions instead of output positions.
        let rows = max((blockRows - 1) * g.strideH + g.kernelHeight, g.inHeight + g.padH,
                       g.strideH == 1 ? g.outHeight + SIMDCorrelation.paddedRows(g.kernelHeight) - 1 : 0)
        // At stride 1 a whole number of vectors, so that `alignedStart` puts every row's source positions on the grid.
        let rowLength = s == 1
            ? roundUp(max(roundUp(g.outWidth, 8) + g.kernelWidth - 1, g.padW + roundUp(g.inWidth, 8), g.outWidth + roundUp(g.kernelWidth, 8) - 1), 8)
            : max(roundUp(g.outWidth, 8) + (g.kernelWidth - 1) / s, (g.inWidth - 1 + g.padW) / s + 1,
                  s == 2 ? (g.padW + 1) / 2 + roundUp(g.inWidth, 16) / 2 : 0)
        return PaddedPlane(sourceHeight: g.inHeight, sourceWidth: g.inWidth, rows: rows, rowLength: rowLength, phases: s,
                           top: g.padH, left: g.padW)
    }

    /// The output gradient of `g`, padded by ⌈k/stride⌉ − 1 on the top and left (and slack on the
    /// bottom and right) for the stride phases of the transposed convolution (`GradientPhase`).
    static func forOutputGradient(_ g: ConvGeometry) -> PaddedPlane {
        let top = GradientPhase.padding(kernel: g.kernelHeight, stride: g.strideH)
        let left = GradientPhase.padding(kernel: g.kernelWidth, stride: g.strideW)
        // Phase blocks start at their first output q and span whole blocks.
        let rows = (0..<g.strideH).map { r in
            let q = GradientPhase.outputs(residue: r, stride: g.strideH, pad: g.padH, size: g.inHeight)
            return q.lowerBound + SIMDCorrelation.paddedRows(q.count)
        }.max()!
        let columns = (0..<g.strideW).map { c in
            let q = GradientPhase.outputs(residue: c, stride: g.strideW, pad: g.padW, size: g.inWidth)
            return q.lowerBound + roundUp(q.count, 8)
        }.max()!
        return PaddedPlane(sourceHeight: g.outHeight, sourceWidth: g.outWidth, rows: top + max(rows, g.outHeight),
                           rowLength: left + max(columns, roundUp(g.outWidth, 8)), top: top, left: left)
    }

    /// A `height × width` result (or gradient) plane rounded up to whole blocks (`SIMDCorrelation.paddedRows`, 8 columns).
    static func result(height: Int, width: Int) -> PaddedPlane {
        PaddedPlane(sourceHeight: height, sourceWidth: width, rows: SIMDCorrelation.paddedRows(height), rowLength: roundUp(width, 8))
    }

    /// Zeroes `copies` consecutive buffers of this layout in `context`'s scratch `slot` and returns the first,
    /// placed `alignedStart` floats into the slot (when `count` is a multiple of 8 the later copies are on the
    /// grid too). `fill` only ever writes the source positions, so the padding stays zero across fills of the
    /// same layout.
    func prepare(in context: ThreadContext, slot: Int, copies: Int = 1) -> UnsafeMutablePointer<Float> {
        let buffer = context.scratch(slot, count: copies * count + 7) + alignedStart
        buffer.update(repeating: 0, count: copies * count)
        return buffer
    }

    /// Of two buffers prepared at `buffer`, the one for item `n` (double buffering: item n + 1 is
    /// filled before item n is read, so the loads do not wait for the fill's just-issued stores).
    func alternate(_ buffer: UnsafeMutablePointer<Float>, _ n: Int) -> UnsafeMutablePointer<Float> {
        buffer + (n % 2) * count
    }

    /// Copies a `sourceHeight × sourceWidth` plane into its padded positions.
    ///
    /// Layouts of one or two phases copy whole vectors: a row's last vector reads a few floats of
    /// the following source rows and masks them to zero, so it writes only zeros into the padding
    /// (rows are long enough, see the layouts). Rows whose vectors would reach past the plane, and
    /// layouts of more phases, are copied float by float.
    func fill(_ buffer: UnsafeMutablePointer<Float>, from source: UnsafePointer<Float>) {
        if phases == 1 {
            for y in 0..<vectorRows {
                let src = source + y * sourceWidth, dst = buffer + (y + top) * rowLength + left
                var x = 0
                while x + 8 < sourceWidth {
                    SIMDCorrelation.store(SIMDCorrelation.load(src + x), dst + x)
                    x += 8
                }
                SIMDCorrelation.store(SIMDCorrelation.load(src + x).replacing(with: 0, where: tailMask), dst + x)
            }
            for y in vectorRows..<sourceHeight {
                Self.copy(source + y * sourceWidth, to: buffer + (y + top) * rowLength + left, count: sourceWidth)
            }
            return
        }
        var exactRows = 0..<sourceHeight
        if phases == 2 {
            // Even and odd source columns go to the two phases: 16 floats in, two vectors out.
            let even = (left % 2) * phaseSize + left / 2, odd = ((left + 1) % 2) * phaseSize + (left + 1) / 2
            for y in 0..<vectorRows {
                let src = source + y * sourceWidth, row = buffer + (y + top) * rowLength
                var x = 0
                while true {
                    let v = SIMD16(lowHalf: SIMDCorrelation.load(src + x), highHalf: SIMDCorrelation.load(src + x + 8))
                    let last = x + 16 >= sourceWidth
                    SIMDCorrelation.store(last ? v.evenHalf.replacing(with: 0, where: evenTailMask) : v.evenHalf, row + even + x / 2)
                    SIMDCorrelation.store(last ? v.oddHalf.replacing(with: 0, where: oddTailMask) : v.oddHalf, row + odd + x / 2)
                    if last { break }
                    x += 16
                }
            }
            exactRows = vectorRows..<sourceHeight
        }
        columnOffsets.withUnsafeBufferPointer { offsets in
            for y in exactRows {
                let row = buffer + (y + top) * rowLength
                let src = source + y * sourceWidth
                for x in 0..<sourceWidth { row[offsets[x]] = src[x] }
            }
        }
    }

    /// Copies the top-left `sourceHeight × sourceWidth` of a result plane to a dense plane.
    ///
    /// Whole vectors again: a row's last vector spills into the following destination rows, which
    /// are written afterwards; rows whose vectors would reach past the plane are copied exactly.
    func crop(_ buffer: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>) {
        for y in 0..<vectorRows {
            let src = buffer + y * rowLength, dst = destination + y * sourceWidth
            for x in Swift.stride(from: 0, to: sourceWidth, by: 8) {
                SIMDCorrelation.store(SIMDCorrelation.load(src + x), dst + x)
            }
        }
        for y in vectorRows..<sourceHeight {
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

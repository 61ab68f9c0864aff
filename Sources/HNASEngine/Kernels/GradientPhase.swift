/// One stride phase of a depthwise convolution's input gradient (the transposed convolution).
///
/// With stride s and padding p, input row y (padded row u = y + p) receives gradient only from kernel
/// rows ky ≡ u (mod s), from output row (u − ky)/s. So the input rows with u ≡ r (mod s), indexed by
/// q = (u − r)/s, form a stride-1 full correlation of the output gradient with the sub-kernel
/// w[r + s·m] (m = 0, 1, …), flipped. Splitting rows and columns this way gives s² stride-1
/// problems whose taps add up to the kernel's, instead of one problem on a zero-dilated gradient
/// with s² times the work. With stride 1 there is one phase: the usual transposed convolution.
struct GradientPhase {
    /// Input positions of this phase: padded row u = q·strideH + rowResidue for q in `rows`,
    /// padded column v = q'·strideW + columnResidue for q' in `columns`.
    let rowResidue, columnResidue: Int
    let rows, columns: Range<Int>
    /// The sub-kernel's rows and columns (0 when the kernel is smaller than the stride and misses this phase).
    let tapRows, tapColumns: Int
    /// Offset in the padded gradient (`PaddedPlane.forOutputGradient`) of the first tap of output
    /// q = rows.lowerBound, q' = columns.lowerBound, and the padded row it lies in.
    let sourceOffset, sourceRow: Int
    /// Number of sub-kernel taps.
    var tapCount: Int { tapRows * tapColumns }
    /// Where this phase's taps start in `Plan.taps` and `Plan.weightIndices`.
    let firstTap: Int
    /// This phase's result block: rows and row length rounded up to whole blocks.
    let blockRows, blockRowLength: Int

    /// All phases of a geometry, with their taps in flat arrays (so the per-plane loop touches no
    /// reference-counted storage).
    struct Plan {
        let phases: [GradientPhase]
        /// Tap offsets of each phase's flipped sub-kernel in the padded gradient, phase after phase.
        let taps: [Int]
        /// For each tap, the index in the channel's k×k filter of the weight it uses.
        let weightIndices: [Int]
        /// Floats of the largest result block.
        var blockSize: Int { phases.map { $0.blockRows * $0.blockRowLength }.max()! }
    }

    /// All stride phases of `g`'s input gradient, reading the padded gradient `plane`.
    static func plan(_ g: ConvGeometry, plane: PaddedPlane) -> Plan {
        var phases: [GradientPhase] = []
        var taps: [Int] = [], weightIndices: [Int] = []
        for r in 0..<g.strideH {
            for c in 0..<g.strideW {
                let mH = subKernel(kernel: g.kernelHeight, stride: g.strideH, residue: r)
                let mW = subKernel(kernel: g.kernelWidth, stride: g.strideW, residue: c)
                let rows = outputs(residue: r, stride: g.strideH, pad: g.padH, size: g.inHeight)
                let columns = outputs(residue: c, stride: g.strideW, pad: g.padW, size: g.inWidth)
                // Output q reads gradient rows q − m for m < mH, i.e. padded rows q + top − mH + 1 + m'
                // with m' = mH − 1 − m the flipped tap row.
                let sourceRow = rows.lowerBound + plane.top - mH + 1
                let sourceOffset = sourceRow * plane.rowLength + columns.lowerBound + plane.left - mW + 1
                phases.append(GradientPhase(
                    rowResidue: r, columnResidue: c, rows: rows, columns: columns, tapRows: mH, tapColumns: mW,
                    sourceOffset: sourceOffset, sourceRow: sourceRow, firstTap: taps.count,
                    blockRows: SIMDCorrelation.paddedRows(rows.count),
                    blockRowLength: PaddedPlane.roundUp(columns.count, 8)))
                taps += SIMDCorrelation.tapOffsets(kernelHeight: mH, kernelWidth: mW, plane: plane)
                weightIndices += (0..<(mH * mW)).map { t in
                    (r + g.strideH * (mH - 1 - t / mW)) * g.kernelWidth + c + g.strideW * (mW - 1 - t % mW)
                }
            }
        }
        return Plan(phases: phases, taps: taps, weightIndices: weightIndices)
    }

    /// Writes this phase's result block into the channel's input gradient plane.
    func scatter(_ block: UnsafePointer<Float>, into gradInput: UnsafeMutablePointer<Float>, _ g: ConvGeometry) {
        let x0 = columns.lowerBound * g.strideW + columnResidue - g.padW
        for (i, q) in rows.enumerated() {
            let y = q * g.strideH + rowResidue - g.padH
            let src = block + i * blockRowLength, dst = gradInput + y * g.inWidth + x0
            if g.strideW == 1 {
                PaddedPlane.copy(src, to: dst, count: columns.count)
            } else {
                for j in 0..<columns.count { dst[j * g.strideW] = src[j] }
            }
        }
    }

    /// Kernel taps ≡ `residue` (mod `stride`): ⌈(kernel − residue)/stride⌉, or 0.
    static func subKernel(kernel: Int, stride: Int, residue: Int) -> Int {
        residue < kernel ? (kernel - residue + stride - 1) / stride : 0
    }

    /// The largest sub-kernel minus one: the gradient padding every phase's full correlation needs.
    static func padding(kernel: Int, stride: Int) -> Int { (kernel + stride - 1) / stride - 1 }

    /// The q with padded position q·stride + residue inside the input, `pad ..< pad + size`.
    static func outputs(residue: Int, stride: Int, pad: Int, size: Int) -> Range<Int> {
        let first = pad >= residue ? (pad - residue + stride - 1) / stride : 0
        let last = pad + size - 1 - residue  // largest q·stride
        let end = last >= 0 ? last / stride + 1 : 0
        return first..<max(first, end)
    }
}

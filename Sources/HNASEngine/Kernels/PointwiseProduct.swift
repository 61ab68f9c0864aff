import CKernels

/// `C = A·B` for one sample through a 1×1 convolution's forward pass (A: the m×k weights, B: the k input
/// planes of n positions, C: the m output planes; rows contiguous) by the C kernel
/// `hnas_ck_pointwise_product`, which reads both operands in place. OpenBLAS packs both and clears C
/// before adding into it (β = 0); at batch 1 those passes cost about as much as its multiply-adds.
///
/// The columns are cut into runs of 16 (the last run takes the remainder, so every run has at least 16
/// columns, the kernel's smallest width) and the runs into parts over the workers (`Gemm.parts`), or, for
/// products of few columns and many rows, the rows into parts of whole 6-row tiles (see `multiply`). The
/// kernel applies `epilogue` (bias, evaluation-mode batch norm, piecewise-linear activation) in registers
/// before its store; an epilogue it cannot apply goes to `finish(rows, columns)` instead, called on blocks
/// of about `blockElements` outputs right after each is computed, while in cache. Every element is the same
/// chain of fused multiply-adds whatever the cut, so the bits depend neither on the thread count nor on the
/// instruction-set path.
enum PointwiseProduct {
    /// Whether the kernel takes a product of n columns and depth k: planes of at least 64 positions (on 7×7
    /// planes its whole vectors computed 64 columns for 49, and OpenBLAS was faster: memes 240→80 0.49 vs
    /// 0.59 ms at batch 32) and at least 24 input channels (at 16, OpenBLAS's clearing of the output first
    /// made its stores cheaper: memes 16→96 on 56×56 4.6 vs 6.8 ms at batch 32).
    static func supports(columns n: Int, depth k: Int) -> Bool { n >= 64 && k >= 24 }

    /// Writes `c` (m×n, overwritten) = `a` (m×k) · `b` (k×n) (each row kk of b times `inputScale[kk]` first,
    /// when given) with `epilogue` applied to each row and `residual` (m×n, laid out as c) added, then
    /// `finish` on each block of it (not with a residual: it would come after the residual); parts run over
    /// the workers when `splitting`, one after another on this thread otherwise. Parts are runs of columns,
    /// or, when that would leave each part fewer than `wideColumns` columns and there are rows enough, whole
    /// row tiles with all the columns: cut by columns, a 14×14 plane's 196 positions in 8 parts gave the
    /// kernel tiles of one or two vectors, whose every multiply-add waits on a load.
    static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                         splitting: Bool, inputScale: UnsafePointer<Float>? = nil, residual: UnsafePointer<Float>? = nil,
                         epilogue: UnsafePointer<hnas_ck_epilogue>? = nil,
                         finish: ((_ rows: Range<Int>, _ columns: Range<Int>) -> Void)? = nil) {
        precondition(n >= run && m > 0 && k > 0, "pointwise product \(m)×\(n)×\(k) below the kernel's 16 columns")
        precondition(finish == nil || residual == nil, "a finish hook would run after the residual is added")
        let runs = n / run, tiles = (m + rowTile - 1) / rowTile
        let parts = splitting ? Gemm.parts(m: m, n: n, k: k) : 1
        if parts > 1, n < wideColumns * parts, tiles >= 2 * parts {
            Parallel.forEach(parts) { index in
                let mine = Parallel.split(tiles, into: parts, part: index)
                compute(rows: (mine.lowerBound * rowTile)..<min(m, mine.upperBound * rowTile), runs: 0..<runs)
            }
            return
        }
        let columnParts = min(parts, runs)
        if columnParts > 1 {
            Parallel.forEach(columnParts) { compute(rows: 0..<m, runs: Parallel.split(runs, into: columnParts, part: $0)) }
        } else {
            compute(rows: 0..<m, runs: 0..<runs)
        }

        /// Rows `rows` over the column runs `mine`, in blocks of about `blockElements` outputs when there is a
        /// `finish` to call after each.
        func compute(rows: Range<Int>, runs mine: Range<Int>) {
            let blockRuns = finish == nil ? runs : max(4, blockElements / (rows.count * run))
            var start = mine.lowerBound
            while start < mine.upperBound {
                let end = mine.upperBound - start < 2 * blockRuns ? mine.upperBound : start + blockRuns
                let columns = (start * run)..<(end == runs ? n : end * run)
                withEpilogue(epilogue, from: rows.lowerBound) { e in
                    let offset = rows.lowerBound * n + columns.lowerBound
                    let done = hnas_ck_pointwise_product(a + rows.lowerBound * k, k, b + columns.lowerBound, n, inputScale, c + offset, n,
                                                         residual.map { $0 + offset }, rows.count, columns.count, k, e)
                    precondition(done == 1, "hnas_ck_pointwise_product refused \(rows.count)×\(columns.count)×\(k)")
                }
                finish?(rows, columns)
                start = end
            }
        }
    }

    /// Calls `body` with `epilogue` for the rows from `row` on (its per-row arrays advanced by `row`).
    private static func withEpilogue(_ epilogue: UnsafePointer<hnas_ck_epilogue>?, from row: Int,
                                     _ body: (UnsafePointer<hnas_ck_epilogue>?) -> Void) {
        guard let epilogue, row > 0 else { return body(epilogue) }
        var shifted = epilogue.pointee
        shifted.bias = shifted.bias.map { $0 + row }
        shifted.scale = shifted.scale.map { $0 + row }
        shifted.shift = shifted.shift.map { $0 + row }
        withUnsafePointer(to: &shifted) { body($0) }
    }

    /// `multiply` with the convolution's `bias` and `epilogue` (output channels from `firstChannel` on) applied
    /// by the kernel when it can (no gate, no activation or a piecewise-linear one), otherwise on each block
    /// as it is completed (`ChannelEpilogue.blockFinish`).
    static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                         splitting: Bool, inputScale: UnsafePointer<Float>? = nil, residual: UnsafePointer<Float>? = nil,
                         bias: UnsafePointer<Float>?, epilogue: ChannelEpilogue?, firstChannel: Int) {
        guard let activation = ChannelEpilogue.kernelActivation(epilogue) else {
            precondition(inputScale == nil && residual == nil, "an input scale or a residual needs an epilogue the kernel applies")
            return multiply(m: m, n: n, k: k, a: a, b: b, c: c, splitting: splitting,
                            finish: ChannelEpilogue.blockFinish(bias: bias, epilogue: epilogue, firstChannel: firstChannel,
                                                                output: c, rowLength: n))
        }
        guard bias != nil || epilogue != nil else {
            return multiply(m: m, n: n, k: k, a: a, b: b, c: c, splitting: splitting, inputScale: inputScale, residual: residual)
        }
        ChannelEpilogue.withKernelForm(bias: bias, epilogue: epilogue, activation: activation) { form in
            var e = form.from(channel: firstChannel)
            multiply(m: m, n: n, k: k, a: a, b: b, c: c, splitting: splitting, inputScale: inputScale, residual: residual, epilogue: &e)
        }
    }

    /// Columns per run: the cut's unit and the kernel's smallest width.
    private static let run = 16

    /// Rows of the kernel's register tile: the unit of a cut by rows.
    private static let rowTile = 6

    /// Columns per part below which a product is cut by rows: two of the kernel's 64-column tiles.
    static let wideColumns = 128

    /// Outputs per block handed to `finish` (256 KB: it and the input panel stay within a core's L2).
    private static let blockElements = 1 << 16
}

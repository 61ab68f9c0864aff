import CBLAS

/// Single-precision matrix products through OpenBLAS (kept single-threaded, see `Parallel`).
enum Gemm {
    /// Row-major `C = alpha·op(A)·op(B) + beta·C` through `cblas_sgemm`, where op(A) is m×k and
    /// op(B) is k×n.
    ///
    /// Large products are cut along C's longer side into a number of parts that depends only on the
    /// shape (`parts(m:n:k:)`), each part one single-threaded `cblas_sgemm`, run over the `Parallel`
    /// workers. So results are bit-identical for every thread count (OpenBLAS rounds differently
    /// for differently shaped calls, so the cut must not depend on the threads). With `splitting`
    /// false the product is one `serial` call, for callers that already run one task per worker.
    ///
    /// `finish(rows, columns)`, when given, runs on each block of C as soon as it is computed, on the
    /// worker that computed it and while the block is still in its cache: once per part of a cut product,
    /// once for the whole of any other. Together the calls cover C once.
    static func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, splitting: Bool = true,
                      finish: ((_ rows: Range<Int>, _ columns: Range<Int>) -> Void)? = nil) {
        guard m > 0, n > 0 else { return }
        func whole() {
            if m == 1 {
                rowTimesMatrix(transA: transA, transB: transB, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c,
                               splitting: splitting)
            } else {
                serial(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            }
            finish?(0..<m, 0..<n)
        }
        guard m > 1, splitting else { return whole() }
        let byColumns = n >= m
        let blocks = ((byColumns ? n : m) + 15) / 16
        let count = min(parts(m: m, n: n, k: k), blocks)
        if count > 1, k >= 4 * max(m, n) {
            depthSplit(parts: count, transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                       beta: beta, c: c, ldc: ldc)
            finish?(0..<m, 0..<n)
            return
        }
        guard count > 1 else { return whole() }
        Parallel.forEach(count) { part in
            if byColumns {
                let (j0, j1) = blockCut(part, of: count, blocks: blocks, size: n)
                serial(transA: transA, transB: transB, m: m, n: j1 - j0, k: k, alpha: alpha, a: a, lda: lda,
                       b: transB ? b + j0 * ldb : b + j0, ldb: ldb, beta: beta, c: c + j0, ldc: ldc)
                finish?(0..<m, j0..<j1)
            } else {
                let (i0, i1) = blockCut(part, of: count, blocks: blocks, size: m)
                serial(transA: transA, transB: transB, m: i1 - i0, n: n, k: k, alpha: alpha, a: transA ? a + i0 : a + i0 * lda,
                       lda: lda, b: b, ldb: ldb, beta: beta, c: c + i0 * ldc, ldc: ldc)
                finish?(i0..<i1, 0..<n)
            }
        }
    }

    /// Row-major `C = op(A)·B` (op(A) m×k, B k×n with `n = groups·width`; a group: one sample's positions
    /// of a channel-major matrix) in parts of whole column groups, each part's block of C written to scratch
    /// of the worker that computes it and handed to `finish(groups, block, rowLength)` right away, while it
    /// is still in cache: m rows of the groups' columns, `rowLength` floats apart. C itself never goes to
    /// memory. Blocks hold at most `blockElements` floats where parts keep `minimumColumns`; a product too
    /// small or too narrow for two such parts runs whole (split as `sgemm` splits it) and is finished in
    /// pieces over the workers. The parts depend only on the shape, so the results are the same for every
    /// thread count.
    static func sgemmColumnGroups(m: Int, k: Int, groups: Int, width: Int, a: UnsafePointer<Float>, lda: Int, transposeA: Bool = false,
                                  b: UnsafePointer<Float>, finish: (Range<Int>, UnsafePointer<Float>, Int) -> Void) {
        let n = groups * width
        let count = columnGroupParts(m: m, n: n, k: k)
        guard count > 1, count <= groups else {
            let c = ThreadContext.current.scratch(ScratchSlot.gemmBlock, count: m * n)
            sgemm(transA: transposeA, transB: false, m: m, n: n, k: k, alpha: 1, a: a, lda: lda, b: b, ldb: n, beta: 0, c: c, ldc: n)
            Tensor.parallelChunks(groups, grain: Tensor.grain(itemSize: m * width)) { range in
                finish(range, c + range.lowerBound * width, n)
            }
            return
        }
        Parallel.forEach(count) { part in
            let range = Parallel.split(groups, into: count, part: part)
            let columns = range.count * width
            let block = ThreadContext.current.scratch(ScratchSlot.gemmBlock, count: m * columns)
            serial(transA: transposeA, transB: false, m: m, n: columns, k: k, alpha: 1, a: a, lda: lda,
                   b: b + range.lowerBound * width, ldb: n, beta: 0, c: block, ldc: columns)
            finish(range, block, columns)
        }
    }

    /// The parts `sgemmColumnGroups` cuts an m×n×k product into (it runs whole below 2 or above the group count).
    static func columnGroupParts(m: Int, n: Int, k: Int) -> Int {
        min(max(parts(m: m, n: n, k: k), (m * n + blockElements - 1) / blockElements), n / minimumColumns)
    }

    /// Floats in a block of `sgemmColumnGroups` (256 KB: with the packed operands, within a core's L2).
    static let blockElements = 1 << 16

    /// Columns a part of `sgemmColumnGroups` keeps at least (each part packs all of A again; narrower
    /// parts measured slower on 1×1 convolutions of 960 channels at batch 32).
    static let minimumColumns = 256

    /// A product whose inner dimension dwarfs the result (a weight gradient, `dW = dY·Xᵀ` summed over
    /// batch × positions) cut along k: part i multiplies its slice of k into its own m×n partial, and the
    /// partials are added in part order. Cutting rows or columns of C instead would make every part pack
    /// the whole k-long other operand again. The parts depend only on the shape, so the result is the same
    /// for every thread count.
    private static func depthSplit(parts count: Int, transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                                   a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                                   beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let partials = ThreadContext.current.scratch(ScratchSlot.gemmPartials, count: count * m * n)
        Parallel.forEach(count) { part in
            let slice = Parallel.split(k, into: count, part: part)
            let k0 = slice.lowerBound
            serial(transA: transA, transB: transB, m: m, n: n, k: slice.count, alpha: alpha,
                   a: transA ? a + k0 * lda : a + k0, lda: lda, b: transB ? b + k0 : b + k0 * ldb, ldb: ldb,
                   beta: 0, c: partials + part * m * n, ldc: n)
        }
        for i in 0..<m {
            let row = c + i * ldc
            if beta == 0 {
                row.update(from: partials + i * n, count: n)
            } else {
                Vector.map(row, row, count: n, { $0 * beta }, { $0 * Vector.V(repeating: beta) })
                Vector.add(row, partials + i * n, count: n)
            }
            for part in 1..<count { Vector.add(row, partials + part * m * n + i * n, count: n) }
        }
    }

    /// How many parts `sgemm` cuts an m×n×k product into: 1 below 2²⁰ multiply-adds (~10 µs, not
    /// worth a thread hand-off: measured slower at 0.8·2²⁰), then 2, 4 or 8 as it grows (even
    /// counts balance over 2 or 4 workers).
    static func parts(m: Int, n: Int, k: Int) -> Int {
        switch m * n * k {
        case ..<(1 << 20): return 1
        case ..<(1 << 22): return 2
        case ..<(1 << 24): return 4
        default: return 8
        }
    }

    /// `c[1×n] = alpha·a[1×k]·op(B) + beta·c`: one sample through a layer (a batch-1 `Linear`, a 1×1
    /// convolution after global pooling, squeeze-and-excitation). It reads every weight once for one
    /// multiply-add each, so it runs at memory speed: `cblas_sgemv`, whose kernel streams the matrix
    /// (OpenBLAS's sgemm took 5× longer on a 1152×1536 weight matrix), cut over the workers by the
    /// matrix's size instead of its multiply-adds (`vectorParts`) — each core brings its own share of
    /// memory bandwidth. Cuts fall on multiples of 16 outputs whether or not `splitting` runs them in
    /// parallel, so the bits depend on the shape only.
    private static func rowTimesMatrix(transA: Bool, transB: Bool, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
                                       b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, splitting: Bool) {
        Parallel.configureBLAS()
        let blocks = (n + 15) / 16, count = min(vectorParts(n: n, k: k), blocks)
        let step = Int32(transA ? lda : 1)  // op(A) is one row: A's row, or A's column when transposed
        func part(_ index: Int) {
            let (j0, j1) = blockCut(index, of: count, blocks: blocks, size: n)
            if transB {
                // B is n×k: c[j] = Σ B[j][i]·a[i] over B's rows j0..<j1.
                cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(j1 - j0), Int32(k), alpha, b + j0 * ldb, Int32(ldb),
                            a, step, beta, c + j0, 1)
            } else {
                // B is k×n: c[j] = Σ B[i][j]·a[i] over B's columns j0..<j1.
                cblas_sgemv(CblasRowMajor, CblasTrans, Int32(k), Int32(j1 - j0), alpha, b + j0, Int32(ldb),
                            a, step, beta, c + j0, 1)
            }
        }
        if splitting {
            Parallel.forEach(count, part)
        } else {
            for index in 0..<count { part(index) }
        }
    }

    /// Where part `part` of `count` starts and ends along a side of `size` rows or columns cut into
    /// `blocks` runs of 16 (the last one shorter): whole runs per part, so the cut depends on the shape only.
    private static func blockCut(_ part: Int, of count: Int, blocks: Int, size: Int) -> (Int, Int) {
        let range = Parallel.split(blocks, into: count, part: part)
        return (range.lowerBound * 16, min(size, range.upperBound * 16))
    }

    /// How many parts `rowTimesMatrix` cuts a k×n matrix into: 1 below 2¹⁵ floats (128 KB, a few
    /// microseconds from cache), then 2, 4 or 8 as it grows.
    static func vectorParts(n: Int, k: Int) -> Int {
        switch n * k {
        case ..<(1 << 15): return 1
        case ..<(1 << 17): return 2
        case ..<(1 << 19): return 4
        default: return 8
        }
    }

    /// One `cblas_sgemm` call on the calling thread: for kernels that already run one task per worker.
    static func serial(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                       a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                       beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        Parallel.configureBLAS()
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}

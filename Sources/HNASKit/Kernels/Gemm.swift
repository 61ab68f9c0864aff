import CBLAS

/// Single-precision matrix products through OpenBLAS.
enum Gemm {
    /// Below this many multiply-adds a product is not worth splitting over threads.
    static let splitThreshold = 1 << 18

    /// Row-major `C = alpha·op(A)·op(B) + beta·C` through `cblas_sgemm`, where op(A) is m×k and
    /// op(B) is k×n. Large products are split over `Parallel` workers along C's longer side (each
    /// part a single-threaded `cblas_sgemm`, every element still summed over all of k in one call);
    /// inside a parallel region it is one call.
    static func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard m > 0, n > 0 else { return }
        let parts = Parallel.isSerial || m * n * k < splitThreshold ? 1 : Parallel.threads
        if parts == 1 {
            call(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
        } else if n >= m {
            // Split C's columns: op(B)'s columns, C's columns.
            let blocks = (n + 15) / 16, count = min(parts, blocks)
            Parallel.forEach(count) { part in
                let cols = Parallel.split(blocks, into: count, part: part)
                let j0 = cols.lowerBound * 16, j1 = min(n, cols.upperBound * 16)
                let bPart = transB ? b + j0 * ldb : b + j0
                call(transA, transB, m, j1 - j0, k, alpha, a, lda, bPart, ldb, beta, c + j0, ldc)
            }
        } else {
            // Split C's rows: op(A)'s rows, C's rows.
            let blocks = (m + 15) / 16, count = min(parts, blocks)
            Parallel.forEach(count) { part in
                let rows = Parallel.split(blocks, into: count, part: part)
                let i0 = rows.lowerBound * 16, i1 = min(m, rows.upperBound * 16)
                let aPart = transA ? a + i0 : a + i0 * lda
                call(transA, transB, i1 - i0, n, k, alpha, aPart, lda, b, ldb, beta, c + i0 * ldc, ldc)
            }
        }
    }

    private static func call(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                             _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                             _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}

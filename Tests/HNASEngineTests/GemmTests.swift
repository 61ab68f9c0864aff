import HNASTestSupport
import XCTest
@testable import HNASEngine

final class GemmTests: XCTestCase {
    override func tearDown() {
        Parallel.threads = ProcessInfo.processInfo.activeProcessorCount
        super.tearDown()
    }

    /// All four transpose combinations, leading dimensions wider than the matrices, alpha and beta,
    /// at sizes large enough to be cut into parts (`Gemm.parts`) — along C, and along k for a long inner
    /// dimension (odd sizes, so the k slices differ in length) — against a Double triple loop.
    func testSgemmMatchesNaiveProductInAllTransposeCases() {
        for (m, n, k) in [(100, 110, 100), (21, 23, 2301)] {
            XCTAssertGreaterThan(Gemm.parts(m: m, n: n, k: k), 1)
            checkAllTransposeCases(m: m, n: n, k: k)
        }
    }

    /// One row times a matrix (batch-1 layers) runs through `cblas_sgemv` in parts by the matrix's size:
    /// the same checks, at sizes cut into 2 and 8 parts with a last part of fewer than 16 columns, and
    /// the parts run serially (`splitting: false`) give the same bits as in parallel.
    func testRowTimesMatrixMatchesNaiveProductAndIsCutByShapeOnly() {
        for (n, k) in [(1000, 300), (2001, 257)] {
            XCTAssertGreaterThan(Gemm.vectorParts(n: n, k: k), 1)
            checkAllTransposeCases(m: 1, n: n, k: k)
        }
        var rng = SeededGenerator(seed: 3)
        let (n, k) = (2001, 257)
        let a = ConvKernelsTests.random(k, &rng), b = ConvKernelsTests.random(n * k, &rng)
        Parallel.threads = 2
        let outputs = [true, false].map { splitting in
            var c = [Float](repeating: 0, count: n)
            c.withUnsafeMutableBufferPointer {
                Gemm.sgemm(transA: false, transB: true, m: 1, n: n, k: k, alpha: 1, a: a, lda: k, b: b, ldb: k,
                           beta: 0, c: $0.baseAddress!, ldc: n, splitting: splitting)
            }
            return c
        }
        ConvKernelsTests.assertIdentical(outputs[0], outputs[1], "parts in parallel vs serially")
    }

    private func checkAllTransposeCases(m: Int, n: Int, k: Int) {
        let pad = 3
        var rng = SeededGenerator(seed: 7)
        for transA in [false, true] {
            for transB in [false, true] {
                let aRows = transA ? k : m, aCols = transA ? m : k
                let bRows = transB ? n : k, bCols = transB ? k : n
                let lda = aCols + pad, ldb = bCols + pad, ldc = n + pad
                let a = ConvKernelsTests.random(aRows * lda, &rng), b = ConvKernelsTests.random(bRows * ldb, &rng)
                let c0 = ConvKernelsTests.random(m * ldc, &rng)
                var expected = c0.map(Double.init)
                for i in 0..<m {
                    for j in 0..<n {
                        var sum = 0.0
                        for p in 0..<k {
                            let av = transA ? a[p * lda + i] : a[i * lda + p]
                            let bv = transB ? b[j * ldb + p] : b[p * ldb + j]
                            sum += Double(av) * Double(bv)
                        }
                        expected[i * ldc + j] = 0.5 * sum - 2 * Double(c0[i * ldc + j])
                    }
                }
                var results: [[Float]] = []
                for threads in [1, 2] {
                    Parallel.threads = threads
                    var c = c0
                    c.withUnsafeMutableBufferPointer {
                        Gemm.sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.5, a: a, lda: lda,
                                   b: b, ldb: ldb, beta: -2, c: $0.baseAddress!, ldc: ldc)
                    }
                    ConvKernelsTests.assertClose(c, expected, "sgemm transA \(transA) transB \(transB) threads \(threads)")
                    results.append(c)
                }
                ConvKernelsTests.assertIdentical(results[0], results[1], "threads 1 vs 2, transA \(transA) transB \(transB)")
            }
        }
    }

    func testParallelForEachVisitsEveryIndexOnce() {
        for threads in [1, 2, 3] {
            Parallel.threads = threads
            for count in [0, 1, 2, 5, 17] {
                var hits = [Int](repeating: 0, count: count)
                hits.withUnsafeMutableBufferPointer { hits in
                    Parallel.forEach(count) { i in
                        hits[i] += 1
                        Parallel.forEach(3) { _ in hits[i] += 0 }  // nested: runs serially, must not deadlock
                    }
                }
                XCTAssertEqual(hits, [Int](repeating: 1, count: count), "threads \(threads), count \(count)")
            }
        }
    }

    func testSplitCoversTheRangeInOrder() {
        for count in [0, 1, 7, 10] {
            for parts in 1...4 {
                let ranges = (0..<parts).map { Parallel.split(count, into: parts, part: $0) }
                XCTAssertEqual(ranges.flatMap { Array($0) }, Array(0..<count))
                XCTAssertLessThanOrEqual(ranges.map(\.count).max()! - ranges.map(\.count).min()!, 1)
            }
        }
    }
}

import CKernels
import Foundation
import HNASTestSupport
import XCTest
@testable import HNASEngine

/// The 1×1 convolution's own product kernel (`PointwiseProduct`, `hnas_ck_pointwise_product`) against a
/// scalar chain of fused multiply-adds with the epilogue computed element by element: the same bits on both
/// instruction-set paths, for every thread count and cut, on shapes that leave every kind of remainder.
final class PointwiseProductTests: XCTestCase {
    override func tearDown() {
        Parallel.threads = ProcessInfo.processInfo.activeProcessorCount
        super.tearDown()
    }

    /// (m, n, k): row counts around the 6-row tile, columns with no tail, a 1-column and a 15-column tail and
    /// 1 to 3 whole vectors after the 64-column tiles, depths below, at and above the 128-channel blocks
    /// (256 is one block of 256, 257 two of 128 and 129).
    static let shapes: [(Int, Int, Int)] = [
        (1, 64, 24), (5, 65, 24), (6, 79, 31), (7, 100, 130), (13, 196, 256), (12, 112, 257), (19, 143, 300), (2, 16, 1),
        (61, 100, 200),  // cut by rows at two threads, the last part's last tile of one row
    ]

    /// The kernel's result: `c = a·b` then the epilogue, row by row, each element as the kernel documents it.
    static func reference(m: Int, n: Int, k: Int, a: [Float], b: [Float], bias: [Float]?, scale: [Float]?, shift: [Float]?,
                          activation: hnas_ck_activation) -> [Float] {
        let sixth: Float = 1 / 6
        func clamp06(_ v: Float) -> Float { v < 0 ? 0 : v > 6 ? 6 : v }
        var c = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var v: Float = 0
                for p in 0..<k { v = v.addingProduct(a[i * k + p], b[p * n + j]) }
                if let bias { v += bias[i] }
                if let scale, let shift {
                    // Fused on whole vectors of 8, a product then a sum on a row's last n mod 8 (Vector.scaleShift).
                    v = j < n - n % 8 ? shift[i].addingProduct(v, scale[i]) : v * scale[i] + shift[i]
                }
                switch activation {
                case HNAS_CK_RELU: v = v < 0 ? 0 : v
                case HNAS_CK_RELU6: v = clamp06(v)
                case HNAS_CK_HARD_SWISH: v = v * clamp06(v + 3) * sixth
                case HNAS_CK_HARD_SIGMOID: v = clamp06(v + 3) * sixth
                default: break
                }
                c[i * n + j] = v
            }
        }
        return c
    }

    /// The kernel through `PointwiseProduct.multiply`, cut over the workers when `splitting`.
    static func product(m: Int, n: Int, k: Int, a: [Float], b: [Float], bias: [Float]?, scale: [Float]?, shift: [Float]?,
                        activation: hnas_ck_activation, splitting: Bool) -> [Float] {
        var c = [Float](repeating: .nan, count: m * n)
        let withEpilogue = bias != nil || scale != nil || activation != HNAS_CK_IDENTITY
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    (bias ?? []).withUnsafeBufferPointer { biasPointer in
                        (scale ?? []).withUnsafeBufferPointer { scalePointer in
                            (shift ?? []).withUnsafeBufferPointer { shiftPointer in
                                var e = hnas_ck_epilogue(bias: bias == nil ? nil : biasPointer.baseAddress,
                                                         scale: scale == nil ? nil : scalePointer.baseAddress,
                                                         shift: shift == nil ? nil : shiftPointer.baseAddress, activation: activation)
                                withUnsafePointer(to: &e) { e in
                                    PointwiseProduct.multiply(m: m, n: n, k: k, a: a.baseAddress!, b: b.baseAddress!, c: c.baseAddress!,
                                                              splitting: splitting, epilogue: withEpilogue ? e : nil)
                                }
                            }
                        }
                    }
                }
            }
        }
        return c
    }

    /// Every shape, with no epilogue, a bias alone and batch norm with each activation, on the AVX2 and the
    /// AVX-512 path (when the CPU has it), at one and two threads: the bits of the reference.
    func testMatchesTheScalarChainOnBothPaths() throws {
        let paths: [KernelPath] = KernelPath.avx512Available ? [.avx2, .avx512] : [.avx2]
        let activations = [HNAS_CK_IDENTITY, HNAS_CK_RELU, HNAS_CK_RELU6, HNAS_CK_HARD_SWISH, HNAS_CK_HARD_SIGMOID]
        for (index, (m, n, k)) in Self.shapes.enumerated() {
            let seed = UInt64(10 * index)
            let a = GradientCheck.random([m, k], seed: seed).scalars, b = GradientCheck.random([k, n], seed: seed + 1, range: -4...4).scalars
            let bias = GradientCheck.random([m], seed: seed + 2).scalars
            let scale = GradientCheck.random([m], seed: seed + 3, range: 0.5...2).scalars
            let shift = GradientCheck.random([m], seed: seed + 4, range: -3...3).scalars
            var variants: [([Float]?, [Float]?, [Float]?, hnas_ck_activation)] = [(nil, nil, nil, HNAS_CK_IDENTITY), (bias, nil, nil, HNAS_CK_IDENTITY)]
            variants += activations.map { (index % 2 == 0 ? nil : bias, scale, shift, $0) }
            for (vb, vs, vh, activation) in variants {
                let expected = Self.reference(m: m, n: n, k: k, a: a, b: b, bias: vb, scale: vs, shift: vh, activation: activation)
                for path in paths {
                    for threads in [1, 2] {
                        Parallel.threads = threads
                        let got = KernelPath.with(path) {
                            Self.product(m: m, n: n, k: k, a: a, b: b, bias: vb, scale: vs, shift: vh, activation: activation,
                                         splitting: true)
                        }
                        XCTAssertEqual(got.path, path)
                        XCTAssertEqual(got.result.map(\.bitPattern), expected.map(\.bitPattern),
                                       "\(m)×\(n)×\(k), bias \(vb != nil), norm \(vs != nil), activation \(activation.rawValue), \(path), \(threads) thread(s)")
                    }
                }
            }
        }
    }

    /// A product large enough to be cut into parts, with an epilogue the kernel leaves to `finish`: every
    /// element is finished exactly once, on a block the kernel has completed, and the parts give the bits of
    /// one serial call.
    func testFinishCoversEveryBlockOnceAfterItIsComputed() throws {
        // Cut by columns, and by rows (196 columns, 8 parts of 2 or 3 row tiles).
        for (m, n, k) in [(40, 4000, 24), (100, 196, 136)] {
            try finishCoversEveryBlockOnce(m: m, n: n, k: k)
        }
        let parts = Gemm.parts(m: 100, n: 196, k: 136)
        XCTAssertTrue(parts > 1 && 196 < PointwiseProduct.wideColumns * parts && 17 >= 2 * parts, "the second is cut by rows")
        XCTAssertGreaterThanOrEqual(4000 / Gemm.parts(m: 40, n: 4000, k: 24), PointwiseProduct.wideColumns, "the first by columns")
    }

    private func finishCoversEveryBlockOnce(m: Int, n: Int, k: Int) throws {
        XCTAssertGreaterThan(Gemm.parts(m: m, n: n, k: k), 1)
        let a = GradientCheck.random([m, k], seed: 3).scalars, b = GradientCheck.random([k, n], seed: 4).scalars
        let expected = Self.reference(m: m, n: n, k: k, a: a, b: b, bias: nil, scale: nil, shift: nil, activation: HNAS_CK_IDENTITY)
        for threads in [1, 2] {
            Parallel.threads = threads
            var c = [Float](repeating: .nan, count: m * n)
            var finished = [Int](repeating: 0, count: m * n)
            let lock = NSLock()
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        let out = c.baseAddress!
                        PointwiseProduct.multiply(m: m, n: n, k: k, a: a.baseAddress!, b: b.baseAddress!, c: out, splitting: true) { rows, columns in
                            lock.lock()
                            defer { lock.unlock() }
                            for i in rows {
                                for j in columns {
                                    XCTAssertEqual(out[i * n + j].bitPattern, expected[i * n + j].bitPattern, "finished before computed")
                                    finished[i * n + j] += 1
                                    out[i * n + j] *= 2
                                }
                            }
                        }
                    }
                }
            }
            XCTAssertEqual(Set(finished), [1], "\(m)×\(n)×\(k), \(threads) thread(s)")
            XCTAssertEqual(c.map(\.bitPattern), expected.map { ($0 * 2).bitPattern }, "\(m)×\(n)×\(k), \(threads) thread(s)")
        }
    }

    /// The kernel takes planes of at least 64 positions and at least 24 input channels, where it measured
    /// faster than OpenBLAS; the C function refuses fewer than 16 columns without writing.
    func testWhereTheKernelIsUsed() {
        XCTAssertTrue(PointwiseProduct.supports(columns: 64, depth: 24))
        XCTAssertFalse(PointwiseProduct.supports(columns: 49, depth: 480))
        XCTAssertFalse(PointwiseProduct.supports(columns: 3136, depth: 16))
        var y = [Float](repeating: 7, count: 15)
        let refused = [Float](repeating: 1, count: 15).withUnsafeBufferPointer { x in
            hnas_ck_pointwise_product([1], 1, x.baseAddress!, 15, nil, &y, 15, nil, 1, 15, 1, nil)
        }
        XCTAssertEqual(refused, 0)
        XCTAssertEqual(y, [Float](repeating: 7, count: 15))
    }
}

import Foundation
import HNASTestSupport
import XCTest
@testable import HNASEngine

/// The C kernels (`CKernels`) on both instruction-set paths, and Mish against a double-precision
/// reference over a wide range.
final class KernelPathTests: XCTestCase {
    override func tearDown() {
        Parallel.threads = ProcessInfo.processInfo.activeProcessorCount
        super.tearDown()
    }

    /// Lengths that leave every possible tail after 8- and 16-lane vectors.
    static let lengths = [1, 7, 8, 9, 15, 16, 17, 31, 1003]

    /// mish(x) = x·tanh(log1p(e^x)) and its derivative t + x·σ(x)·(1 − t²), in Double.
    static func mishReference(_ x: Double) -> (value: Double, derivative: Double, termScale: Double) {
        let t = Foundation.tanh(log1p(exp(x))), second = x / (1 + exp(-x)) * (1 - t * t)
        return (x * t, t + second, Swift.max(abs(t), abs(second)))
    }

    /// A wide sweep: dense over [−120, 30], coarse out to ±1e30, plus the edges of the kernels' branches.
    static let sweep: [Float] = {
        var xs = (0..<60_000).map { Float(-120 + 150 * Double($0) / 60_000) }
        xs += stride(from: -30.0, through: 30.0, by: 0.5).map { Float(copysign(pow(10, abs($0)), $0)) }
        xs += [20, 20.000002, 19.999998, -87.33, -87.330002, -87.329994, -131, -131.00002, 3.4e38, -3.4e38, 1e-45, -1e-45, 1e-20]
        return xs
    }()

    /// Forward within 8 ulp of the correctly rounded value where that is a normal float, within one
    /// subnormal step below; backward within 8·2⁻²³ of the larger of its two terms (t and x·σ·(1 − t²),
    /// which cancel near the minimum of Mish at x ≈ −1.19).
    func testMishAccuracyOverAWideRange() throws {
        let x = try Tensor(shape: [Self.sweep.count], scalars: Self.sweep)
        let y = x.mish().scalars
        let grad = try Self.mishGradient(x)
        var worstUlp: Float = 0, worstBackward = 0.0
        for (i, v) in Self.sweep.enumerated() {
            let r = Self.mishReference(Double(v)), rounded = Float(r.value)
            if abs(rounded) >= Float.leastNormalMagnitude {
                worstUlp = Swift.max(worstUlp, abs(y[i] - rounded) / rounded.ulp)
            } else {
                XCTAssertLessThanOrEqual(abs(y[i] - rounded), Float.leastNonzeroMagnitude, "mish(\(v))")
            }
            let scale = Swift.max(r.termScale, Double(Float.leastNormalMagnitude))
            worstBackward = Swift.max(worstBackward, abs(Double(grad[i]) - r.derivative) / (scale * 0x1p-23))
        }
        XCTAssertLessThanOrEqual(worstUlp, 8, "forward ulp error")
        XCTAssertLessThanOrEqual(worstBackward, 8, "backward error in ulps of the larger term")
    }

    /// Sigmoid within 4 ulp of the correctly rounded 1/(1 + e^−x) where that is normal, within one
    /// subnormal step below; NaN stays NaN, ±∞ give 1 and 0.
    func testSigmoidAccuracyOverAWideRange() throws {
        let xs = Self.sweep + [-150, -103, .nan, .infinity, -.infinity]
        let y = try Tensor(shape: [xs.count], scalars: xs).sigmoid().scalars
        var worstUlp: Float = 0
        for (i, v) in xs.enumerated() where !v.isNaN {
            let rounded = Float(1 / (1 + exp(-Double(v))))
            if rounded >= Float.leastNormalMagnitude {
                worstUlp = Swift.max(worstUlp, abs(y[i] - rounded) / rounded.ulp)
            } else {
                XCTAssertLessThanOrEqual(abs(y[i] - rounded), Float.leastNonzeroMagnitude, "sigmoid(\(v))")
            }
        }
        XCTAssertLessThanOrEqual(worstUlp, 4, "sigmoid ulp error")
        XCTAssertTrue(y[xs.count - 3].isNaN)
        XCTAssertEqual(Array(y.suffix(2)), [1, 0])
    }

    /// −0 stays −0, NaN stays NaN, +∞ → +∞ (derivative NaN: ∞·0), −∞ → NaN, as x·tanh(softplus(x)) in Float gives.
    func testMishSpecialValues() throws {
        let x = try Tensor(shape: [5], scalars: [-0.0, .nan, .infinity, -.infinity, 0])
        let y = x.mish().scalars, d = try Self.mishGradient(x)
        XCTAssertEqual(y[0], 0)
        XCTAssertEqual(y[0].sign, .minus)
        XCTAssertTrue(y[1].isNaN && d[1].isNaN)
        XCTAssertEqual(y[2], .infinity)
        XCTAssertTrue(d[2].isNaN)
        XCTAssertTrue(y[3].isNaN && d[3].isNaN)
        XCTAssertEqual(y[4], 0)
        XCTAssertEqual(y[4].sign, .plus)
        XCTAssertEqual(d[0], 0.6, accuracy: 1e-7)
        XCTAssertEqual(d[4], 0.6, accuracy: 1e-7)
    }

    /// Every tail length gives what the same elements give inside a longer vector.
    func testMishTailsMatchTheBody() throws {
        let long = GradientCheck.random([64], seed: 71, range: -6...6)
        let full = long.mish().scalars
        for n in Self.lengths where n <= 64 {
            let part = try long.slice(axis: 0, 0..<n)
            XCTAssertEqual(part.mish().scalars, Array(full[0..<n]), "length \(n)")
        }
    }

    /// Mish forward and backward, sigmoid, dropout: the AVX-512 path against the AVX2 path, within 1 ulp, on
    /// lengths with every tail. Skipped on a CPU without AVX-512.
    func testAVX2AndAVX512PathsAgree() throws {
        try XCTSkipUnless(KernelPath.avx512Available, "this CPU has no AVX-512: only one path to test")
        for n in Self.lengths {
            let x = GradientCheck.random([n], seed: UInt64(80 + n), range: -30...30)
            let g = GradientCheck.random([n], seed: UInt64(90 + n))
            func run() throws -> [[Float]] {
                var rng = SeededGenerator(seed: 5)
                return [x.mish().scalars, try Self.mishGradient(x, seed: g), x.sigmoid().scalars,
                        try x.dropout(probability: 0.3, generator: &rng).scalars]
            }
            let avx2 = try KernelPath.with(.avx2) { try run() }
            let avx512 = try KernelPath.with(.avx512) { try run() }
            XCTAssertEqual(avx2.path, .avx2)
            XCTAssertEqual(avx512.path, .avx512)
            for (a, b) in zip(avx2.result, avx512.result) {
                for (u, v) in zip(a, b) { XCTAssertLessThanOrEqual(abs(u - v), Swift.max(abs(u).ulp, Float.leastNonzeroMagnitude), "n = \(n)") }
            }
        }
    }

    /// With AVX-512 available, it is the path taken unless HNAS_SIMD=avx2 forced AVX2.
    func testDefaultPath() {
        let forced = ProcessInfo.processInfo.environment["HNAS_SIMD"] == "avx2"
        XCTAssertEqual(KernelPath.current, KernelPath.avx512Available && !forced ? .avx512 : .avx2)
        XCTAssertTrue(KernelPath.summary.contains("HNAS_SIMD=avx2"), KernelPath.summary)
    }

    static func mishGradient(_ x: Tensor, seed: Tensor? = nil) throws -> [Float] {
        let p = Parameter(x)
        try (p.value.mish() * (seed ?? Tensor(repeating: 1, shape: x.shape))).sum().backward()
        return p.grad!.scalars
    }
}

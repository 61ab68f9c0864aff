import CKernels
import XCTest
@_spi(Bench) @testable import HNASEngine

/// The FMA peak probe (`hnas_ck_fma_chains`, `KernelBenchmark.peakGigaflops`): the chains compute what they
/// claim on every path, so the timed loop is the multiply-adds it counts, and the peak is a plausible rate.
final class FMAChainsTests: XCTestCase {
    override func tearDown() {
        Parallel.threads = ProcessInfo.processInfo.activeProcessorCount
        super.tearDown()
    }

    /// Twelve chains acc ← fma(acc, 0.999999, 1e-7) from c·10⁻³, summed lane by lane and chain by chain, in Float.
    static func reference(iterations: Int, lanes: Int) -> Float {
        var total: Float = 0
        for c in 0..<12 {
            var acc = Float(c) * 1e-3
            for _ in 0..<iterations { acc = Float(1e-7).addingProduct(acc, 0.999999) }
            for _ in 0..<lanes { total += acc }
        }
        return total
    }

    func testChainsComputeTheirRecurrenceOnEveryPath() throws {
        var paths: [(KernelPath, Int)] = [(.avx2, 8)]
        if KernelPath.avx512Available { paths.append((.avx512, 16)) }
        for (path, lanes) in paths {
            for iterations in [0, 1, 1000] {
                let value = KernelPath.with(path) { hnas_ck_fma_chains(iterations) }
                XCTAssertEqual(value.path, path)
                XCTAssertEqual(value.result, Self.reference(iterations: iterations, lanes: lanes), "\(path), \(iterations) rounds")
            }
        }
    }

    /// One core does at least one multiply-add per nanosecond with vectors, and no core does a thousand.
    func testPeakIsAPlausibleRate() {
        Parallel.threads = 1
        let peak = KernelBenchmark.peakGigaflops(repeats: 2)
        XCTAssertGreaterThan(peak, 2)
        XCTAssertLessThan(peak, 2000)
    }
}

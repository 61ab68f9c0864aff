import CKernels
import XCTest
@testable import HNASEngine

/// `BLASCore`: which OpenBLAS kernel family replaces the SSE3 fallback, and when not to.
final class BLASCoreTests: XCTestCase {
    func testThePrescottFallbackIsReplacedByTheBestFamilyTheCPUCanRun() {
        XCTAssertEqual(BLASCore.replacement(for: "Prescott", avx2FMA: true, avx512: true), "SkylakeX")
        XCTAssertEqual(BLASCore.replacement(for: "PRESCOTT", avx2FMA: true, avx512: false), "Haswell")
    }

    func testAnyOtherChoiceOrAnOldCPUIsLeftAlone() {
        // A real Prescott-class CPU has neither AVX2 nor AVX-512: OpenBLAS chose right.
        XCTAssertNil(BLASCore.replacement(for: "Prescott", avx2FMA: false, avx512: false))
        for chosen in ["Haswell", "SkylakeX", "Cooperlake", "Zen", "Sandybridge"] {
            XCTAssertNil(BLASCore.replacement(for: chosen, avx2FMA: true, avx512: true), chosen)
        }
    }

    func testThisProcessesReplacementFollowsItsOwnCoreAndCPU() {
        let expected = ProcessInfo.processInfo.environment[BLASCore.overrideVariable] == nil
            ? BLASCore.replacement(for: BuildInfo.blasCore, avx2FMA: hnas_ck_avx2_fma_available() != 0,
                                   avx512: hnas_ck_avx512_available() != 0)
            : nil
        XCTAssertEqual(BLASCore.replacement, expected)
        #if arch(x86_64)
        // Every CPU with AVX-512 F/DQ/BW/VL also has AVX2 and FMA.
        if KernelPath.avx512Available { XCTAssertNotEqual(hnas_ck_avx2_fma_available(), 0) }
        #endif
    }
}

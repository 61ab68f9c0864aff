import CBLAS
import XCTest
@testable import HNASEngine

final class CBLASShimTests: XCTestCase {
    /// [[1,2,3],[4,5,6]] · [[7,8],[9,10],[11,12]] = [[58,64],[139,154]].
    func testSgemmOnKnownProduct() {
        let a: [Float] = [1, 2, 3, 4, 5, 6]
        let b: [Float] = [7, 8, 9, 10, 11, 12]
        var c = [Float](repeating: -1, count: 4)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 2, 2, 3, 1, a, 3, b, 2, 0, &c, 2)
        XCTAssertEqual(c, [58, 64, 139, 154])
    }

    func testBuildInfoReportsOpenBLAS() {
        XCTAssertFalse(BuildInfo.blasCore.isEmpty)
        XCTAssertGreaterThanOrEqual(BuildInfo.blasThreads, 1)
        XCTAssertTrue(BuildInfo.blasConfig.contains("OpenBLAS"), BuildInfo.blasConfig)
        #if arch(x86_64)
        XCTAssertTrue(BuildInfo.simdLevel.hasPrefix("x86-64-v3"), BuildInfo.simdLevel)
        #endif
    }
}

import HNASTestSupport
import XCTest
@testable import HNASEngine

final class ElasticWeightTests: XCTestCase {
    func testChannelSliceGradientLandsInTheSharedParameter() throws {
        let w = Parameter(GradientCheck.random([4, 3, 1, 1], seed: 61))
        let active = try ElasticWeight.channels(w.value, out: 2, in: 1)
        XCTAssertEqual(active.shape, [2, 1, 1, 1])
        XCTAssertEqual(active.scalars, [w.value[0, 0, 0, 0], w.value[1, 0, 0, 0]])
        try active.sum().backward()
        // Gradient 1 at W[:2, :1], 0 elsewhere.
        XCTAssertEqual(w.grad?.scalars, [1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(try ElasticWeight.prefix(try Tensor(shape: [3], scalars: [1, 2, 3]), 2).scalars, [1, 2])
        XCTAssertThrowsError(try ElasticWeight.channels(w.value, out: 5, in: 1)) { XCTAssertTrue("\($0)".contains("[4, 3, 1, 1]")) }
    }

    func testCentreCropPositions() throws {
        let w = try Tensor(shape: [1, 1, 7, 7], scalars: (0..<49).map(Float.init))
        XCTAssertEqual(try ElasticWeight.centreCrop(w, kernel: 3).scalars, [16, 17, 18, 23, 24, 25, 30, 31, 32])
        XCTAssertEqual(try ElasticWeight.centreCrop(w, kernel: 5).scalars.prefix(5), [8, 9, 10, 11, 12])
        XCTAssertThrowsError(try ElasticWeight.centreCrop(w, kernel: 4))
    }

    func testTransformMatrixDirection() throws {
        // M[j][i] = 1 when i == (j + 1) mod 9: output position j takes input position j + 1 (M · v, not Mᵀ · v).
        let w5 = try Tensor(shape: [1, 1, 5, 5], scalars: (0..<25).map(Float.init))
        var m = [Float](repeating: 0, count: 81)
        for j in 0..<9 { m[j * 9 + (j + 1) % 9] = 1 }
        let matrix = try Tensor(shape: [9, 9], scalars: m)
        let crop: [Float] = [6, 7, 8, 11, 12, 13, 16, 17, 18]
        let out = try ElasticWeight.transformedCentre(w5, kernel: 3, matrix: matrix)
        XCTAssertEqual(out.shape, [1, 1, 3, 3])
        XCTAssertEqual(out.scalars, (0..<9).map { crop[($0 + 1) % 9] })
    }

    func testKernelChainCropsTheTransformedKernel() throws {
        let w = GradientCheck.random([2, 1, 7, 7], seed: 62)
        let m75 = GradientCheck.random([25, 25], seed: 63), m53 = GradientCheck.random([9, 9], seed: 64)
        let steps = [(size: 5, matrix: m75), (size: 3, matrix: m53)]
        XCTAssertEqual(try ElasticWeight.kernel(w, kernel: 7, steps: steps), w)
        let k5 = try ElasticWeight.transformedCentre(w, kernel: 5, matrix: m75)
        XCTAssertEqual(try ElasticWeight.kernel(w, kernel: 5, steps: steps), k5)
        XCTAssertEqual(try ElasticWeight.kernel(w, kernel: 3, steps: steps), try ElasticWeight.transformedCentre(k5, kernel: 3, matrix: m53))
        XCTAssertThrowsError(try ElasticWeight.kernel(w, kernel: 4, steps: steps))
    }

    func testGradientsFlowIntoWeightAndMatrices() throws {
        let w = GradientCheck.random([2, 1, 5, 5], seed: 65)
        let m53 = GradientCheck.random([9, 9], seed: 66)
        try GradientCheck.check([w, m53]) { try ElasticWeight.kernel($0[0], kernel: 3, steps: [(3, $0[1])]) }
        let x = GradientCheck.random([1, 4, 4, 4], seed: 67)
        // A depthwise conv with the first 2 of 4 channels and a transformed 3×3 kernel.
        try GradientCheck.check([GradientCheck.random([4, 1, 5, 5], seed: 68), m53]) {
            let k = try ElasticWeight.kernel(try ElasticWeight.channels($0[0], out: 2, in: 1), kernel: 3, steps: [(3, $0[1])])
            return try Tensor.conv2d(try x.slice(axis: 1, 0..<2), weight: k, padding: 1, groups: 2)
        }
    }
}

import HNASTestSupport
import XCTest
@testable import HNASEngine

final class MatMulTests: XCTestCase {
    func testForwardHandComputed() throws {
        let a = try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]), b = try Tensor(shape: [2, 2], scalars: [5, 6, 7, 8])
        XCTAssertEqual(try Tensor.matmul(a, b).scalars, [19, 22, 43, 50])
        let batched = try Tensor.matmul(try Tensor.concat([a, b], axis: 0).reshaped([2, 2, 2]), try Tensor.concat([b, a], axis: 0).reshaped([2, 2, 2]))
        XCTAssertEqual(batched.scalars, [19, 22, 43, 50, 23, 34, 31, 46])
        // linear: x·Wᵀ + b.
        let y = try Tensor.linear(a, weight: b, bias: try Tensor(shape: [2], scalars: [1, -1]))
        XCTAssertEqual(y.scalars, [18, 22, 40, 52] as [Float]) // 5+12+1, 7+16−1, 15+24+1, 21+32−1
    }

    func testShapeErrors() {
        XCTAssertThrowsError(try Tensor.matmul(Tensor(zeros: [2, 3]), Tensor(zeros: [2, 3]))) {
            XCTAssertTrue("\($0)".contains("matmul") && "\($0)".contains("[2, 3]"))
        }
        XCTAssertThrowsError(try Tensor.matmul(Tensor(zeros: [2, 2, 3]), Tensor(zeros: [3, 2, 3])))
        XCTAssertThrowsError(try Tensor.linear(Tensor(zeros: [2, 3]), weight: Tensor(zeros: [4, 2])))
    }

    func testGradients() throws {
        let a = GradientCheck.random([2, 3, 4], seed: 31), b = GradientCheck.random([2, 4, 5], seed: 32)
        try GradientCheck.check([a, b]) { try Tensor.matmul($0[0], $0[1]) }
        try GradientCheck.check([a, GradientCheck.random([4, 2], seed: 33)]) { try Tensor.matmul($0[0], $0[1]) }
        try GradientCheck.check([a, GradientCheck.random([5, 4], seed: 34), GradientCheck.random([5], seed: 35)]) {
            try Tensor.linear($0[0], weight: $0[1], bias: $0[2])
        }
    }

    /// `matmul(a, b, transposeA:transposeB:)` equals the product of explicit transposes, with finite-difference
    /// gradients, for every combination of flags on odd sizes.
    func testTransposedOperands() throws {
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
            let a = GradientCheck.random(ta ? [2, 5, 3] : [2, 3, 5], seed: 36), b = GradientCheck.random(tb ? [2, 7, 5] : [2, 5, 7], seed: 37)
            let got = try Tensor.matmul(a, b, transposeA: ta, transposeB: tb)
            let expected = try Tensor.matmul(ta ? a.transposed(1, 2) : a, tb ? b.transposed(1, 2) : b)
            XCTAssertEqual(got.shape, [2, 3, 7])
            for (u, v) in zip(got.scalars, expected.scalars) { XCTAssertEqual(u, v, accuracy: 1e-5) }
            try GradientCheck.check([a, b]) { try Tensor.matmul($0[0], $0[1], transposeA: ta, transposeB: tb) }
        }
        XCTAssertThrowsError(try Tensor.matmul(Tensor(zeros: [2, 3, 4]), Tensor(zeros: [2, 3, 4]), transposeA: false, transposeB: false))
        XCTAssertThrowsError(try Tensor.matmul(Tensor(zeros: [2, 3, 4]), Tensor(zeros: [3, 4]), transposeA: true, transposeB: false))
    }
}

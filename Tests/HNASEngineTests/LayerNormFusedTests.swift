import HNASTestSupport
import XCTest
@testable import HNASEngine

/// `LayerNorm(_:adding:)` and `LayerNorm(concatenating:activation:)`: without gradients one pass with the
/// bits of the separate ops; while recording the separate ops, with their gradients.
final class LayerNormFusedTests: XCTestCase {
    private func layerNorm(_ shape: [Int], seed: UInt64) -> LayerNorm {
        let norm = LayerNorm(normalizedShape: shape)
        norm.weight!.value = GradientCheck.random(shape, seed: seed, range: 0.5...2)
        norm.bias!.value = GradientCheck.random(shape, seed: seed + 1)
        return norm
    }

    /// Rows of 3·13 (not a multiple of the vector width) and enough rows to be split over the workers.
    func testResidualLayerNormGivesTheBitsOfTheSeparateOps() throws {
        for rows in [2, 300] {
            let norm = layerNorm([3, 13], seed: 1)
            let x = GradientCheck.random([rows, 3, 13], seed: 3, range: -2...2), r = GradientCheck.random([rows, 3, 13], seed: 4)
            let (fused, separate) = try Autograd.withoutGrad { (try norm(x, adding: r), try norm(x + r)) }
            XCTAssertEqual(fused.scalars.map(\.bitPattern), separate.scalars.map(\.bitPattern))
            // Recording, the same values and the gradients of the separate ops.
            let recorded = try norm(x, adding: r)
            XCTAssertEqual(recorded.scalars.map(\.bitPattern), separate.scalars.map(\.bitPattern))
        }
        let norm = layerNorm([2, 5], seed: 5)
        try GradientCheck.check([GradientCheck.random([3, 2, 5], seed: 6), GradientCheck.random([3, 2, 5], seed: 7)]) { v in
            try norm(v[0], adding: v[1])
        }
    }

    func testConcatenatedLayerNormWithActivationGivesTheBitsOfTheSeparateOps() throws {
        let norm = layerNorm([7, 5], seed: 10)
        let parts = [GradientCheck.random([40, 3, 5], seed: 11, range: -2...2), GradientCheck.random([40, 4, 5], seed: 12)]
        for activation in [Activation.identity, .relu, .mish] {
            let (fused, separate) = try Autograd.withoutGrad {
                (try norm(concatenating: parts, activation: activation), activation.apply(try norm(Tensor.concat(parts, axis: 1))))
            }
            XCTAssertEqual(fused.shape, [40, 7, 5])
            XCTAssertEqual(fused.scalars.map(\.bitPattern), separate.scalars.map(\.bitPattern), "\(activation)")
        }
        try GradientCheck.check([GradientCheck.random([2, 3, 5], seed: 13), GradientCheck.random([2, 4, 5], seed: 14)]) { v in
            try norm(concatenating: v, activation: .tanh)
        }
    }

    /// Without gradients `layerNorm` writes the scaled rows directly (no x̂ kept): the same bits as recording.
    func testLayerNormWithoutGradientsGivesTheRecordedBits() throws {
        let x = Parameter(GradientCheck.random([50, 4, 9], seed: 20)), norm = layerNorm([4, 9], seed: 21)
        let recorded = try norm(x.value)
        let plain = try Autograd.withoutGrad { try norm(x.value) }
        XCTAssertEqual(plain.scalars.map(\.bitPattern), recorded.scalars.map(\.bitPattern))
    }

    func testShapeErrors() throws {
        let norm = layerNorm([3, 4], seed: 30)
        try Autograd.withoutGrad {
            XCTAssertThrowsError(try norm(Tensor(zeros: [2, 3, 4]), adding: Tensor(zeros: [2, 3, 5])))
            XCTAssertThrowsError(try norm(Tensor(zeros: [2, 3, 5]), adding: Tensor(zeros: [2, 3, 5])))
            XCTAssertThrowsError(try norm(concatenating: [Tensor(zeros: [2, 1, 4]), Tensor(zeros: [2, 1, 4])]))
            XCTAssertThrowsError(try norm(concatenating: [Tensor(zeros: [2, 1, 4]), Tensor(zeros: [3, 2, 4])]))
            XCTAssertThrowsError(try norm(concatenating: []))
        }
    }
}

import XCTest
@testable import HNASKit

final class NormalizationTests: XCTestCase {
    func testBatchNormTrainingHandComputed() throws {
        // Channel 0 holds 1, 2, 3, 4 (mean 2.5, biased var 1.25, unbiased 5/3); channel 1 holds 0 four times.
        let x = try Tensor(shape: [2, 2, 1, 2], scalars: [1, 2, 0, 0, 3, 4, 0, 0])
        let w = try Tensor(shape: [2], scalars: [2, 1]), b = try Tensor(shape: [2], scalars: [0.5, -1])
        let (y, stats) = try Tensor.batchNormTraining(x, weight: w, bias: b, eps: 1e-5)
        let inv = 1 / (1.25 + 1e-5 as Float).squareRoot()
        assertClose(y, [2 * -1.5 * inv + 0.5, 2 * -0.5 * inv + 0.5, -1, -1, 2 * 0.5 * inv + 0.5, 2 * 1.5 * inv + 0.5, -1, -1])
        assertClose(stats.mean, [2.5, 0])
        assertClose(stats.unbiasedVariance, [5.0 / 3, 0])
        XCTAssertEqual(stats.count, 4)
    }

    func testBatchNormInferenceHandComputed() throws {
        let x = try Tensor(shape: [1, 2, 2], scalars: [1, 3, 5, 7])
        let y = try Tensor.batchNormInference(x, weight: try Tensor(shape: [2], scalars: [1, 2]), bias: try Tensor(shape: [2], scalars: [0, 1]),
                                              mean: try Tensor(shape: [2], scalars: [1, 5]), variance: try Tensor(shape: [2], scalars: [4, 1]), eps: 0)
        XCTAssertEqual(y.scalars, [0, 1, 1, 5])
    }

    func testLayerNormHandComputed() throws {
        let x = try Tensor(shape: [2, 2], scalars: [1, 3, -2, -2])
        let y = try Tensor.layerNorm(x, normalizedShape: [2], weight: try Tensor(shape: [2], scalars: [1, 2]), bias: nil, eps: 0)
        XCTAssertEqual(y.scalars[0], -1)
        XCTAssertEqual(y.scalars[1], 2)
        XCTAssertTrue(y.scalars[2].isNaN) // zero variance with eps 0: 0/0, as in PyTorch
    }

    func testGradients() throws {
        let x = GradientCheck.random([3, 2, 2, 3], seed: 41), w = GradientCheck.random([2], seed: 42), b = GradientCheck.random([2], seed: 43)
        try GradientCheck.check([x, w, b]) { try Tensor.batchNormTraining($0[0], weight: $0[1], bias: $0[2], eps: 1e-5).0 }
        try GradientCheck.check([x]) { try Tensor.batchNormTraining($0[0], weight: nil, bias: nil, eps: 1e-5).0 }
        try GradientCheck.check([GradientCheck.random([5, 3], seed: 44), GradientCheck.random([3], seed: 45)]) {
            try Tensor.batchNormTraining($0[0], weight: $0[1], bias: nil, eps: 1e-5).0
        }
        let mean = GradientCheck.random([2], seed: 46), variance = GradientCheck.random([2], seed: 47, range: 0.5...2)
        try GradientCheck.check([x, w, b]) {
            try Tensor.batchNormInference($0[0], weight: $0[1], bias: $0[2], mean: mean, variance: variance, eps: 1e-5)
        }
        try GradientCheck.check([x, GradientCheck.random([2, 3], seed: 48), GradientCheck.random([2, 3], seed: 49)]) {
            try Tensor.layerNorm($0[0], normalizedShape: [2, 3], weight: $0[1], bias: $0[2])
        }
        try GradientCheck.check([x]) { try Tensor.layerNorm($0[0], normalizedShape: [3], weight: nil, bias: nil) }
    }

    func testShapeErrors() {
        XCTAssertThrowsError(try Tensor.batchNormTraining(Tensor(zeros: [2, 3, 2]), weight: Tensor(zeros: [2]), bias: nil, eps: 1e-5)) {
            XCTAssertTrue("\($0)".contains("batchNorm") && "\($0)".contains("[2, 3, 2]"))
        }
        XCTAssertThrowsError(try Tensor.batchNormTraining(Tensor(zeros: [1, 3]), weight: nil, bias: nil, eps: 1e-5))
        XCTAssertThrowsError(try Tensor.layerNorm(Tensor(zeros: [2, 3]), normalizedShape: [2], weight: nil, bias: nil))
    }
}

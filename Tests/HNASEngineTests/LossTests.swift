import HNASTestSupport
import XCTest
@testable import HNASEngine

final class LossTests: XCTestCase {
    let logits = try! Tensor(shape: [2, 3], scalars: [1, 2, 3, 0.5, -1, 0])

    func testCrossEntropyHandComputed() throws {
        func lse(_ v: [Float]) -> Float { log(v.map { exp($0) }.reduce(0, +)) }
        let l0 = lse([1, 2, 3]), l1 = lse([0.5, -1, 0])
        let plain = ((l0 - 3) + (l1 - 0.5)) / 2
        XCTAssertEqual(try Loss.crossEntropy(logits: logits, labels: [2, 0]).item, plain, accuracy: 1e-5)
        // ε = 0.3: target 0.7·onehot + 0.1 everywhere.
        let smooth0 = 0.8 * (l0 - 3) + 0.1 * (l0 - 1) + 0.1 * (l0 - 2)
        let smooth1 = 0.8 * (l1 - 0.5) + 0.1 * (l1 + 1) + 0.1 * (l1 - 0)
        XCTAssertEqual(try Loss.crossEntropy(logits: logits, labels: [2, 0], labelSmoothing: 0.3).item, (smooth0 + smooth1) / 2, accuracy: 1e-5)
    }

    func testOtherLossesHandComputed() throws {
        let x = try Tensor(shape: [2], scalars: [0, 2]), t = try Tensor(shape: [2], scalars: [1, 0])
        // BCE: [log 2, 2 + log(1 + e^-2)] averaged.
        XCTAssertEqual(try Loss.binaryCrossEntropyWithLogits(logits: x, targets: t).item, (log(2) + 2 + log(1 + exp(-2))) / 2, accuracy: 1e-5)
        XCTAssertEqual(try Loss.meanSquaredError(x, t).item, (1 + 4) / 2, accuracy: 1e-6)
        // KL(p ‖ softmax(0, 0)) with p = (0.25, 0.75) = 0.25 log(0.5) + 0.75 log(1.5).
        let p = try Tensor(shape: [1, 2], scalars: [0.25, 0.75])
        XCTAssertEqual(try Loss.klDivergence(logits: Tensor(zeros: [1, 2]), targetProbabilities: p).item,
                       0.25 * log(0.5) + 0.75 * log(1.5), accuracy: 1e-6)
        XCTAssertEqual(try Loss.klDivergence(logits: p.log(), targetProbabilities: p).item, 0, accuracy: 1e-6)
    }

    func testGradients() throws {
        let p = try Tensor(shape: [2, 3], scalars: [0.2, 0.3, 0.5, 0, 1, 0])
        try GradientCheck.check([logits]) { try Loss.crossEntropy(logits: $0[0], labels: [1, 2]) }
        try GradientCheck.check([logits]) { try Loss.crossEntropy(logits: $0[0], labels: [0, 1], labelSmoothing: 0.1) }
        try GradientCheck.check([logits]) { try Loss.klDivergence(logits: $0[0], targetProbabilities: p) }
        try GradientCheck.check([logits]) { try Loss.crossEntropy(logits: $0[0], targetProbabilities: p) }
        try GradientCheck.check([logits]) { try Loss.binaryCrossEntropyWithLogits(logits: $0[0], targets: p) }
        try GradientCheck.check([logits, p]) { try Loss.meanSquaredError($0[0], $0[1]) }
    }

    func testBadInputs() {
        XCTAssertThrowsError(try Loss.crossEntropy(logits: logits, labels: [0, 3])) { XCTAssertTrue("\($0)".contains("label 3")) }
        XCTAssertThrowsError(try Loss.crossEntropy(logits: logits, labels: [0])) { XCTAssertTrue("\($0)".contains("crossEntropy")) }
        XCTAssertThrowsError(try Loss.meanSquaredError(logits, Tensor(zeros: [3, 2])))
    }
}

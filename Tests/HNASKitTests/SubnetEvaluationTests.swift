import HNASTestSupport
import XCTest
@testable import HNASKit

/// The unimodal metrics: top-1 accuracy and MM-IMDB's weighted F1.
final class SubnetEvaluationTests: XCTestCase {
    func testWeightedF1MatchesScikitLearn() throws {
        // y_true / y_pred as in `f1_score(y_true, y_pred, average="weighted", zero_division=1)` = 0.6111…
        // (scikit-learn 1.9.1): label 2 is never true nor predicted (F1 1, weight 0).
        let truth: [Float] = [1, 0, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0]
        let predicted: [Float] = [1, 0, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0]
        // Logits on either side of the 0.3 threshold: sigmoid(−0.5) = 0.38 > 0.3, sigmoid(−1) = 0.27.
        let logits = try Tensor(shape: [3, 4], scalars: predicted.map { $0 == 1 ? -0.5 : -1 })
        let f1 = try SubnetEvaluation.weightedF1(logits: logits, targets: Tensor(shape: [3, 4], scalars: truth))
        XCTAssertEqual(f1, 100 * 0.611111111111111, accuracy: 1e-9)
        XCTAssertThrowsError(try SubnetEvaluation.weightedF1(logits: logits, targets: Tensor(zeros: [3, 3])))
    }

    func testScoreIsAccuracyOrWeightedF1ByLabelKind() throws {
        let net = OFAMobileNetV3(space: .avmnistAudio, seed: 1)
        let x = GradientCheck.random([6, 1, 20, 20], seed: 3)
        let predictions = try SubnetEvaluation.predictions(try Autograd.withoutGrad { net.eval(); return try net(x) })
        let single = try TensorDataset(inputs: x, labels: predictions.enumerated().map { $0.offset < 3 ? $0.element : ($0.element + 1) % 10 })
        XCTAssertEqual(try SubnetEvaluation.score(of: net, on: single, batchSize: 4), 50, accuracy: 1e-9)
        let multi = try TensorDataset(inputs: x, multiHot: Tensor(zeros: [6, 10]))
        let logits = try Autograd.withoutGrad { try net(x) }
        XCTAssertEqual(try SubnetEvaluation.score(of: net, on: multi, batchSize: 4),
                       try SubnetEvaluation.weightedF1(logits: logits, targets: Tensor(zeros: [6, 10])))
        let sevenLabels = try TensorDataset(inputs: x, multiHot: Tensor(zeros: [6, 7]))
        XCTAssertThrowsError(try SupernetTrainer(network: net, train: sevenLabels, test: sevenLabels, options: SupernetTrainingOptions())) {
            XCTAssertTrue("\($0)".contains("7 labels per sample do not match the classifier's 10 outputs"), "\($0)")
        }
    }

    /// `evaluate` is `recalibrated` then `score`: the same calibration batches give the same statistics and score.
    func testEvaluateScoresTheRecalibratedSubnet() throws {
        let supernet = OFAMobileNetV3(space: .avmnistAudio, seed: 2)
        let x = GradientCheck.random([8, 1, 20, 20], seed: 4)
        let data = try TensorDataset(inputs: x, labels: (0..<8).map { $0 % 10 })
        var generator = SeededGenerator(seed: 7)
        let config = supernet.backbone.sample(.min, using: &generator)
        var first = SeededGenerator(seed: 5), second = SeededGenerator(seed: 5)
        let (evaluated, score) = try SubnetEvaluation.evaluate(supernet, config: config, train: data, test: data, generator: &first,
                                                               calibrationBatches: 2, calibrationBatchSize: 4)
        let subnet = try SubnetEvaluation.recalibrated(supernet, config: config, train: data, generator: &second,
                                                       calibrationBatches: 2, calibrationBatchSize: 4)
        XCTAssertEqual(subnet.stateDict().tensors, evaluated.stateDict().tensors)
        XCTAssertNotEqual(subnet.stateDict().tensors,
                          try supernet.extractSubnet(config).stateDict().tensors, "statistics recalibrated")
        XCTAssertEqual(try SubnetEvaluation.score(of: subnet, on: data), score)
    }
}

import HNASKit
@testable import ModalityText
import XCTest

/// `MaxoutTrainer` on small synthetic text splits: the loss falls and the metric is the original's.
final class MaxoutTrainerTests: XCTestCase {
    /// `n` rows of `d` uniform features in [-1, 1].
    private func features(_ n: Int, _ d: Int, _ rng: inout SeededGenerator) throws -> Tensor {
        try Tensor(shape: [n, d], scalars: (0..<n * d).map { _ in Float(rng.uniform() * 2 - 1) })
    }

    func testMultiLabelTrainingLearnsAndScoresWeightedF1() throws {
        var rng = SeededGenerator(seed: 11)
        let d = 10, labels = 3
        func split(_ n: Int) throws -> TensorDataset {
            let x = try features(n, d, &rng)
            // Label l is on when feature l is positive.
            let y = try Tensor(shape: [n, labels], scalars: (0..<n).flatMap { r in (0..<labels).map { l in x[r, l] > 0 ? 1 : 0 } })
            return try TensorDataset(inputs: x, multiHot: y)
        }
        let train = try split(64), test = try split(32)
        var options = MaxoutTrainer.Options()
        options.epochs = 15
        options.batchSize = 16
        options.learningRate = 0.01
        let trainer = try MaxoutTrainer(network: MaxoutNetwork(inputFeatures: d, outputs: labels, firstHidden: 16, seed: 2),
                                        train: train, test: test, options: options)
        let before = try trainer.network.score(on: test)
        var records: [MaxoutTrainer.EpochRecord] = []
        while !trainer.isFinished { records.append(try trainer.runEpoch()) }
        XCTAssertEqual(records.count, 15)
        XCTAssertLessThan(records.last!.loss, records.first!.loss * 0.7, "\(records.map(\.loss))")
        XCTAssertGreaterThan(records.last!.testScore, max(before, 80), "weighted F1 before \(before), after \(records.last!.testScore)")
        // The reported score is the weighted F1 of sigmoid > 0.3 over the whole split.
        trainer.network.eval()
        let logits = try Autograd.withoutGrad { try trainer.network(test.inputs) }
        let f1 = try SubnetEvaluation.weightedF1(logits: logits, targets: test.multiHot!)
        XCTAssertEqual(records.last!.testScore, f1, accuracy: 1e-9)
        XCTAssertEqual(try trainer.network.score(on: test), f1, accuracy: 1e-9)
    }

    func testSingleLabelTrainingLearnsAndScoresAccuracy() throws {
        var rng = SeededGenerator(seed: 12)
        let d = 8
        func split(_ n: Int) throws -> TensorDataset {
            let x = try features(n, d, &rng)
            return try TensorDataset(inputs: x, labels: (0..<n).map { x[$0, 0] > 0.3 ? 2 : (x[$0, 0] < -0.3 ? 0 : 1) })
        }
        let train = try split(96), test = try split(48)
        var options = MaxoutTrainer.Options()
        options.epochs = 12
        options.batchSize = 16
        options.learningRate = 0.02
        let trainer = try MaxoutTrainer(network: MaxoutNetwork(inputFeatures: d, outputs: 3, firstHidden: 16, seed: 3),
                                        train: train, test: test, options: options)
        var records: [MaxoutTrainer.EpochRecord] = []
        while !trainer.isFinished { records.append(try trainer.runEpoch()) }
        XCTAssertLessThan(records.last!.loss, records.first!.loss * 0.7, "\(records.map(\.loss))")
        XCTAssertGreaterThan(records.last!.testScore, 75)
    }

    func testRejectsSplitsThatDoNotFitTheNetwork() throws {
        let net = MaxoutNetwork(inputFeatures: 4, outputs: 2, firstHidden: 4)
        let good = try TensorDataset(inputs: Tensor(zeros: [4, 4]), labels: [0, 1, 0, 1])
        let wide = try TensorDataset(inputs: Tensor(zeros: [4, 5]), labels: [0, 1, 0, 1])
        let badClass = try TensorDataset(inputs: Tensor(zeros: [4, 4]), labels: [0, 1, 2, 1])
        let single = try TensorDataset(inputs: Tensor(zeros: [1, 4]), labels: [0])
        let options = MaxoutTrainer.Options()
        for (train, needle) in [(wide, "[5]"), (badClass, "class 2"), (single, "at least 2")] {
            XCTAssertThrowsError(try MaxoutTrainer(network: net, train: train, test: good, options: options)) { error in
                XCTAssertTrue("\(error)".contains(needle), "'\(needle)' not in \(error)")
            }
        }
        let multi = try TensorDataset(inputs: Tensor(zeros: [4, 4]), multiHot: Tensor(zeros: [4, 2]))
        XCTAssertThrowsError(try MaxoutTrainer(network: net, train: multi, test: good, options: options))
    }
}

import HNASTestSupport
import Foundation
import XCTest
@testable import HNASKit

/// Multi-label supernet training (MM-IMDB's genres): binary cross-entropy on multi-hot targets,
/// in-place distillation against the max subnet's sigmoid outputs, weighted F1 as the metric,
/// bit-exact resume.
final class MultiLabelSupernetTrainerTests: XCTestCase {
    /// The AV-MNIST image network with a 3-output classifier.
    static let space = OFASupernetSpace(variant: .avmnist, widthMultiplier: 1.0, inputChannels: 1, resolution: 8, classes: 3)

    /// Three independent labels on a 1×8×8 image: label l is present (with probability ½) when rows
    /// 2l+1 and 2l+2 hold a bright bar; plus noise.
    static func bars(count: Int, seed: UInt64) throws -> TensorDataset {
        var g = SeededGenerator(seed: seed)
        var values: [Float] = [], targets: [Float] = []
        for _ in 0..<count {
            let present = (0..<3).map { _ in g.int(below: 2) == 1 }
            targets += present.map { $0 ? 1 : 0 }
            for row in 0..<8 {
                let lit = (0..<3).contains { present[$0] && (row == 2 * $0 + 1 || row == 2 * $0 + 2) }
                for _ in 0..<8 { values.append((lit ? 2 : 0) + 0.2 * Float(g.normal())) }
            }
        }
        return try TensorDataset(inputs: Tensor(shape: [count, 1, 8, 8], scalars: values),
                                 multiHot: Tensor(shape: [count, 3], scalars: targets))
    }

    /// `SupernetTrainerTests`' settings with more, smaller steps: binary cross-entropy's gradient per
    /// logit is the softmax one divided by the label count.
    func options(_ schedule: SupernetTrainingOptions.Schedule, epochs: Int) -> SupernetTrainingOptions {
        var o = SupernetTrainerTests.options(schedule, epochs: epochs)
        o.batchSize = 4
        o.learningRate = 0.3
        o.warmupEpochs = 0
        o.seed = 5
        return o
    }

    func testSandwichTrainingLowersTheBCELossAndRaisesTheWeightedF1() throws {
        let train = try Self.bars(count: 24, seed: 1), test = try Self.bars(count: 12, seed: 2)
        let trainer = try SupernetTrainer(network: OFAMobileNetV3(space: Self.space, seed: 4), train: train, test: test,
                                          options: options(.sandwich, epochs: 6))
        var reported: [Double] = []
        while !trainer.isFinished { try trainer.runEpoch { reported.append($0.accuracy) } }
        let history = trainer.state.history
        XCTAssertLessThan(history[5].loss, history[0].loss - 0.05, "BCE falls: \(history.map(\.loss))")
        // Untrained, the sigmoids sit near ½ > 0.3: every label is predicted, F1 = 2p/(1+p) ≈ 65 % for
        // label frequency p ≈ ½. Learning the bars beats that.
        XCTAssertLessThan(history[0].maxAccuracy, 70, "\(history)")
        XCTAssertGreaterThan(history[5].maxAccuracy, history[0].maxAccuracy + 10, "max subnet's weighted F1: \(history)")
        XCTAssertTrue(history.allSatisfy { (0...100).contains($0.minAccuracy) && (0...100).contains($0.trainAccuracy) })
        XCTAssertEqual(reported.count, 36, "one progress line per step")
        XCTAssertEqual(reported[5], history[0].trainAccuracy, "the epoch's training F1 is the last running value")
    }

    /// Interrupted after epoch 1 and resumed into a differently initialised network: the same losses,
    /// scores and weights as an uninterrupted run.
    func testResumeIsExact() throws {
        let train = try Self.bars(count: 8, seed: 1), test = try Self.bars(count: 4, seed: 2)
        let straight = try SupernetTrainer(network: OFAMobileNetV3(space: Self.space, seed: 4), train: train, test: test,
                                           options: options(.sandwich, epochs: 2))
        while !straight.isFinished { try straight.runEpoch() }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-ml-trainer-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let first = try SupernetTrainer(network: OFAMobileNetV3(space: Self.space, seed: 4), train: train, test: test,
                                        options: options(.sandwich, epochs: 2))
        try first.runEpoch()
        try first.saveCheckpoint(to: url)
        let resumed = try SupernetTrainer(network: OFAMobileNetV3(space: Self.space, seed: 77), train: train, test: test,
                                          resumingFrom: url)
        while !resumed.isFinished { try resumed.runEpoch() }
        let history = straight.state.history
        XCTAssertEqual(resumed.state.history.map(\.loss), history.map(\.loss))
        XCTAssertEqual(resumed.state.history.map(\.maxAccuracy), history.map(\.maxAccuracy))
        XCTAssertEqual(resumed.state.history.map(\.trainAccuracy), history.map(\.trainAccuracy))
        XCTAssertEqual(resumed.network.stateDict().tensors, straight.network.stateDict().tensors)
    }

    func testProgressiveShrinkingTrainsMultiLabelData() throws {
        let train = try Self.bars(count: 16, seed: 3)
        let trainer = try SupernetTrainer(network: OFAMobileNetV3(space: Self.space, seed: 1), train: train, test: train,
                                          options: options(.progressive, epochs: 2))
        try trainer.runEpoch()
        try trainer.runEpoch()
        XCTAssertNotNil(trainer.teacher, "phase 1 distils from the full network")
        XCTAssertTrue(trainer.state.history.allSatisfy { $0.loss.isFinite && $0.loss > 0 }, "\(trainer.state.history)")
    }

    /// The distillation loss of the sandwich rule: BCE of a student against the teacher's sigmoid,
    /// whose gradient is (σ(student) − σ(teacher)) / (N·L) — zero when the student agrees.
    func testBCEAgainstSigmoidTargetsIsMinimalWhereTheStudentAgrees() throws {
        let teacher = GradientCheck.random([4, 3], seed: 8, range: -3...3)
        let student = Parameter(GradientCheck.random([4, 3], seed: 9, range: -3...3))
        try Loss.binaryCrossEntropyWithLogits(logits: student.value, targets: teacher.sigmoid()).backward()
        let expected = (student.value.sigmoid().scalars, teacher.sigmoid().scalars)
        for (g, (s, t)) in zip(try XCTUnwrap(student.grad).scalars, zip(expected.0, expected.1)) {
            XCTAssertEqual(g, (s - t) / 12, accuracy: 1e-6)
        }
        let agreeing = Parameter(teacher)
        try Loss.binaryCrossEntropyWithLogits(logits: agreeing.value, targets: teacher.sigmoid()).backward()
        XCTAssertTrue(try XCTUnwrap(agreeing.grad).scalars.allSatisfy { abs($0) < 1e-7 })
    }

    func testLabelCountMustMatchTheClassifier() throws {
        let data = try TensorDataset(inputs: Tensor(zeros: [2, 1, 8, 8]), multiHot: Tensor(zeros: [2, 4]))
        XCTAssertThrowsError(try SupernetTrainer(network: OFAMobileNetV3(space: Self.space), train: data, test: data,
                                                 options: SupernetTrainingOptions())) {
            XCTAssertTrue("\($0)".contains("4 labels per sample"), "\($0)")
        }
        let single = try TensorDataset(inputs: Tensor(zeros: [2, 1, 8, 8]), labels: [0, 1])
        let multi = try TensorDataset(inputs: Tensor(zeros: [2, 1, 8, 8]), multiHot: Tensor(zeros: [2, 3]))
        XCTAssertThrowsError(try SupernetTrainer(network: OFAMobileNetV3(space: Self.space), train: multi, test: single,
                                                 options: SupernetTrainingOptions()))
    }

    func testCountsAccumulatedBatchByBatchGiveTheWholeSetsF1() throws {
        let logits = GradientCheck.random([10, 4], seed: 1, range: -2...2)
        let targets = try Tensor(shape: [10, 4], scalars: (0..<40).map { Float(($0 * 7 + $0 / 3) % 2) })
        var counts = MultiLabelCounts(labels: 4)
        for rows in [0..<3, 3..<10] {
            try counts.add(logits: logits.slice(axis: 0, rows), targets: targets.slice(axis: 0, rows))
        }
        XCTAssertEqual(counts.weightedF1, try SubnetEvaluation.weightedF1(logits: logits, targets: targets))
        XCTAssertThrowsError(try counts.add(logits: logits, targets: Tensor(zeros: [10, 3])))
    }
}

import Foundation
import XCTest
@testable import HNASKit

/// Supernet training on a tiny synthetic task: it learns, resumes bit-exactly from a checkpoint,
/// and stops on a non-finite loss.
final class SupernetTrainerTests: XCTestCase {
    /// Two classes: a bright bar in the top or the bottom half of a 1×8×8 image, plus noise.
    static func bars(count: Int, seed: UInt64) throws -> TensorDataset {
        var g = SeededGenerator(seed: seed)
        var values: [Float] = [], labels: [Int] = []
        for i in 0..<count {
            let label = i % 2
            labels.append(label)
            for row in 0..<8 {
                for _ in 0..<8 {
                    let bar = (label == 0 ? row == 1 || row == 2 : row == 5 || row == 6) ? Float(1) : 0
                    values.append(bar + 0.3 * Float(g.normal()))
                }
            }
        }
        return try TensorDataset(inputs: Tensor(shape: [count, 1, 8, 8], scalars: values), labels: labels)
    }

    /// Small-task settings: batch 8, learning rate 0.05, shifts of 1 pixel, seed 3.
    static func options(_ schedule: SupernetTrainingOptions.Schedule, epochs: Int) -> SupernetTrainingOptions {
        var o = SupernetTrainingOptions()
        o.schedule = schedule
        o.epochs = epochs
        o.batchSize = 8
        o.learningRate = 0.05
        o.maxShift = 1
        o.seed = 3
        return o
    }

    func testSandwichTrainingLearnsAndResumesExactly() throws {
        let train = try Self.bars(count: 24, seed: 1), test = try Self.bars(count: 16, seed: 2)
        let straight = OFAMobileNetV3(space: .avmnistImage, seed: 9)
        let trainer = try SupernetTrainer(network: straight, train: train, test: test, options: Self.options(.sandwich, epochs: 2))
        var lines = 0
        while !trainer.isFinished { try trainer.runEpoch { _ in lines += 1 } }
        XCTAssertEqual(lines, 6, "one progress report per step")
        let history = trainer.state.history
        XCTAssertEqual(history.count, 2)
        XCTAssertLessThan(history[1].loss, history[0].loss, "loss falls: \(history.map(\.loss))")
        XCTAssertGreaterThanOrEqual(history[1].maxAccuracy, 90, "max subnet learns the bars: \(history)")

        // Interrupted after epoch 1, resumed into a differently initialised network.
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-trainer-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let first = try SupernetTrainer(network: OFAMobileNetV3(space: .avmnistImage, seed: 9), train: train, test: test,
                                        options: Self.options(.sandwich, epochs: 2))
        try first.runEpoch()
        try first.saveCheckpoint(to: url)
        let resumed = try SupernetTrainer(network: OFAMobileNetV3(space: .avmnistImage, seed: 123), train: train, test: test,
                                          resumingFrom: url)
        XCTAssertEqual(resumed.state.epochsDone, 1)
        while !resumed.isFinished { try resumed.runEpoch() }
        XCTAssertEqual(resumed.state.history.map(\.loss), history.map(\.loss))
        for ((name, a), (_, b)) in zip(straight.namedParameters(), resumed.network.namedParameters()) {
            XCTAssertEqual(a.value, b.value, "\(name) differs after resume")
        }
        for ((name, a), (_, b)) in zip(straight.namedBuffers(), resumed.network.namedBuffers()) {
            XCTAssertEqual(a.value, b.value, "\(name) differs after resume")
        }
    }

    func testProgressiveShrinkingTrainsAndCheckpointsItsTeacher() throws {
        let train = try Self.bars(count: 16, seed: 1), test = try Self.bars(count: 8, seed: 2)
        let trainer = try SupernetTrainer(network: OFAMobileNetV3(space: .avmnistAudio, seed: 2), train: train, test: test,
                                          options: Self.options(.progressive, epochs: 4))
        try trainer.runEpoch()
        XCTAssertNil(trainer.teacher, "phase 0 trains the full network alone")
        try trainer.runEpoch()
        let teacher = try XCTUnwrap(trainer.teacher)
        XCTAssertFalse(teacher.isElastic)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-ps-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try trainer.saveCheckpoint(to: url)
        let resumed = try SupernetTrainer(network: OFAMobileNetV3(space: .avmnistAudio), train: train, test: test, resumingFrom: url)
        let restored = try XCTUnwrap(resumed.teacher)
        for ((name, a), (_, b)) in zip(teacher.namedParameters(), restored.namedParameters()) {
            XCTAssertEqual(a.value, b.value, "teacher \(name)")
        }
        XCTAssertEqual(OFASupernetSpace.avmnistAudio.resolution, 20)
        XCTAssertEqual((0..<8).map { SupernetTrainingOptions().with(epochs: 8).progressivePhase(epoch: $0) }, [0, 0, 1, 1, 2, 2, 3, 3])
    }

    func testNonFiniteLossStopsTraining() throws {
        let train = try Self.bars(count: 16, seed: 1)
        var o = Self.options(.sandwich, epochs: 2)
        o.learningRate = 1e30
        o.gradientClip = 0
        o.warmupEpochs = 0
        let trainer = try SupernetTrainer(network: OFAMobileNetV3(space: .avmnistImage), train: train, test: train, options: o)
        XCTAssertThrowsError(try trainer.runEpoch()) { error in
            XCTAssertTrue("\(error)".contains("finite") || "\(error)".lowercased().contains("nan"), "\(error)")
        }
        XCTAssertEqual(trainer.state.epochsDone, 0)
    }

    func testDataThatDoesNotFitTheSupernetIsRejected() throws {
        let rgb = try TensorDataset(inputs: Tensor(zeros: [2, 3, 8, 8]), labels: [0, 1])
        XCTAssertThrowsError(try SupernetTrainer(network: OFAMobileNetV3(space: .avmnistImage), train: rgb, test: rgb,
                                                 options: SupernetTrainingOptions()))
        let many = try TensorDataset(inputs: Tensor(zeros: [1, 1, 8, 8]), labels: [12])
        XCTAssertThrowsError(try SupernetTrainer(network: OFAMobileNetV3(space: .avmnistImage), train: many, test: many,
                                                 options: SupernetTrainingOptions())) { XCTAssertTrue("\($0)".contains("label 12")) }
    }
}

private extension SupernetTrainingOptions {
    func with(epochs: Int) -> SupernetTrainingOptions { var o = self; o.epochs = epochs; return o }
}

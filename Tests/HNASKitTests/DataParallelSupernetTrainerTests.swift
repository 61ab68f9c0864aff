import Foundation
import XCTest
import HNASTestSupport
@testable import HNASKit

/// Data-parallel supernet training with threads standing in for processes: N shards of every batch
/// train what one process trains on the whole batch (up to float summation order), and processes
/// started with different weights or batches too small to share are refused.
final class DataParallelSupernetTrainerTests: XCTestCase {
    private let train = try! SupernetTrainerTests.bars(count: 24, seed: 1), test = try! SupernetTrainerTests.bars(count: 16, seed: 2)

    /// Trains `options` on the bars task in one process.
    private func trainSingle(options: SupernetTrainingOptions) throws -> SupernetTrainer {
        let single = try SupernetTrainer(network: OFAMobileNetV3(space: .avmnistImage, seed: 9), train: train, test: test, options: options)
        while !single.isFinished { try single.runEpoch() }
        return single
    }

    /// Trains `options` on the bars task in `processes` threads, rank r's network initialised from `seeds[r]`.
    private func train(processes: Int, options: SupernetTrainingOptions, seeds: [UInt64]? = nil) -> [Result<SupernetTrainer, Error>] {
        let (train, test) = (train, test)
        let group = ThreadGroup(size: processes)
        return group.run { rank -> SupernetTrainer in
            let network = OFAMobileNetV3(space: .avmnistImage, seed: seeds?[rank] ?? 9)
            let trainer = try SupernetTrainer(network: network, train: train, test: test, options: options,
                                              communicator: ThreadCommunicator(rank: rank, group: group))
            while !trainer.isFinished { try trainer.runEpoch() }
            return trainer
        }
    }

    /// Largest |a − b| / max(1, |b|) over two networks' parameters and buffers.
    private func largestDifference(_ a: OFAMobileNetV3, _ b: OFAMobileNetV3) -> Float {
        let pairs = zip(a.namedParameters().map(\.1.value) + a.namedBuffers().map(\.1.value),
                        b.namedParameters().map(\.1.value) + b.namedBuffers().map(\.1.value))
        return pairs.map { x, y in zip(x.scalars, y.scalars).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0 }.max() ?? 0
    }

    /// Two epochs, batch 7 in shards of 4 + 3. Tolerance: 1e-4 relative to max(1, |w|) on every weight and
    /// BN statistic (measured: about 1e-6). Not bit-exact because the shard gradients and BN sums are
    /// added in a different order than one process adds them.
    func testTwoShardsTrainWhatOneProcessTrains() throws {
        var options = SupernetTrainerTests.options(.sandwich, epochs: 2)
        options.batchSize = 7
        options.gradientClip = 0  // clipping would hide gradient differences
        let single = try trainSingle(options: options)
        let trainers = try train(processes: 2, options: options).map { try $0.get() }
        for trainer in trainers {
            XCTAssertLessThan(largestDifference(trainer.network, single.network), 1e-4, "rank weights")
            XCTAssertEqual(trainer.state.step, single.state.step)
            XCTAssertEqual(trainer.state.sampling, single.state.sampling, "same subnets drawn")
            XCTAssertEqual(trainer.state.dropout, single.state.dropout, "dropout drew the whole batch's mask")
            for (a, b) in zip(trainer.state.history, single.state.history) {
                XCTAssertEqual(a.loss, b.loss, accuracy: 1e-5)
                XCTAssertEqual(a.trainAccuracy, b.trainAccuracy)
                XCTAssertEqual(a.maxAccuracy, b.maxAccuracy)
            }
        }
        XCTAssertEqual(largestDifference(trainers[0].network, trainers[1].network), 0, "ranks agree bit for bit")
    }

    func testRanksWithDifferentWeightsAreRefusedNamingTheRank() throws {
        for result in train(processes: 2, options: SupernetTrainerTests.options(.sandwich, epochs: 1), seeds: [9, 10]) {
            XCTAssertThrowsError(try result.get()) { error in
                XCTAssertTrue("\(error)".contains("rank 1 has different weights"), "\(error)")
            }
        }
    }

    func testBatchSmallerThanTheProcessesIsRefused() throws {
        var options = SupernetTrainerTests.options(.sandwich, epochs: 1)
        options.batchSize = 2
        let ranks = train(processes: 3, options: options)
        XCTAssertThrowsError(try ranks[0].get()) { error in
            XCTAssertTrue("\(error)".contains("--batch-size") && "\(error)".contains("3 processes"), "\(error)")
        }
    }
}

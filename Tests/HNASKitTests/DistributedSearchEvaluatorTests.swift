import Foundation
import XCTest
import HNASTestSupport
@testable import HNASKit

/// `DistributedSearchEvaluator` over three threads standing in for processes: batches of evaluations of
/// unequal cost come back in request order, bit-identical to one process's, with their log lines in that
/// order; a failure on another rank names it.
final class DistributedSearchEvaluatorTests: XCTestCase {
    /// Results from the request's numbers (fractions that JSON must carry exactly), a cost in time that varies
    /// threefold, one log line per evaluation; fails everything on `failingRank`.
    final class UnequalEvaluator: SearchEvaluator {
        let backbones: [any Backbone] = []
        let rank: Int, failingRank: Int?
        var log: (String) -> Void = { _ in }
        private(set) var evaluated = 0

        init(rank: Int, failingRank: Int? = nil) {
            self.rank = rank
            self.failingRank = failingRank
        }

        private func work(_ seed: UInt64) throws {
            if rank == failingRank { throw HNASError.argument("seed \(seed)", why: "refused on purpose") }
            usleep(UInt32(1 + seed % 3) * 3000)
            evaluated += 1
        }

        func evaluateBackbone(_ config: BackboneConfig, modality: Int, seed: UInt64) throws -> BackboneEvaluation {
            try work(seed)
            log("backbone \(seed)")
            return BackboneEvaluation(accuracy: Double(config["ks"]![0]) / 3 + Double(seed) / 7,
                                      cost: Cost(latencyMs: 1 / Double(seed + 1), energyMJ: seed % 2 == 0 ? nil : 0.1 * Double(modality)))
        }

        func evaluateFusion(_ configs: [BackboneConfig], macro: FusionMacro, seed: UInt64) throws -> FusionEvaluation {
            try work(seed)
            log("fusion \(seed)")
            return FusionEvaluation(accuracy: Double(macro.cells) / 3 + Double(seed) / 11, fusionCost: Cost(latencyMs: Double.pi * Double(seed), energyMJ: 1e-9),
                                    genotype: "g\(configs.count)-\(seed)", testAccuracy: Double(seed) / 13)
        }
    }

    /// Rank 0's batch times, written by its thread and read after the group joined.
    private final class SecondsBox: @unchecked Sendable { var value = (0.0, 0.0) }

    private let backboneRequests = (0..<10).map { BackboneRequest(config: BackboneConfig(["ks": [$0 % 4 + 3]]), modality: $0 % 2, seed: UInt64($0 + 1)) }
    private let fusionRequests = (0..<5).map { FusionRequest(configs: [BackboneConfig(["ks": [3]])], macro: FusionMacro(cells: $0 % 2 + 1, nodes: 1), seed: UInt64(20 + $0)) }

    /// Rank 0's results, log and each rank's count of evaluations of a three-process run.
    /// Also rank 0's batch times: (backbone, fusion) seconds.
    private func distributed(failingRank: Int? = nil, backbones: [BackboneRequest])
        -> (Result<([BackboneEvaluation], [FusionEvaluation], [String]), Error>, [Int], (Double, Double)) {
        let group = ThreadGroup(size: 3)
        let seconds = SecondsBox()
        let results = group.run { rank -> (([BackboneEvaluation], [FusionEvaluation], [String])?, Int) in
            let local = UnequalEvaluator(rank: rank, failingRank: failingRank)
            let evaluator = DistributedSearchEvaluator(local: local, communicator: ThreadCommunicator(rank: rank, group: group))
            local.log = evaluator.capture
            guard rank == 0 else {
                evaluator.serve()
                return (nil, local.evaluated)
            }
            var lines: [String] = []
            evaluator.log = { lines.append($0) }
            defer { evaluator.stop() }
            let b = try evaluator.evaluateBackbones(backbones)
            let f = try evaluator.evaluateFusions(self.fusionRequests)
            seconds.value = (evaluator.backboneSeconds, evaluator.fusionSeconds)
            return ((b, f, lines), local.evaluated)
        }
        let counts = results.map { (try? $0.get().1) ?? -1 }
        return (results[0].map { $0.0! }, counts, seconds.value)
    }

    func testBatchesComeBackInRequestOrderAsOneProcessComputesThem() throws {
        let single = UnequalEvaluator(rank: 0)
        var lines: [String] = []
        single.log = { lines.append($0) }
        let expected = (try single.evaluateBackbones(backboneRequests), try single.evaluateFusions(fusionRequests))

        let (result, counts, _) = distributed(backbones: backboneRequests)
        let (backbones, fusions, log) = try result.get()
        XCTAssertEqual(backbones, expected.0)
        XCTAssertEqual(fusions, expected.1)
        XCTAssertEqual(log, lines, "log lines replayed in request order")
        XCTAssertEqual(counts.reduce(0, +), 15, "every request evaluated once: \(counts)")
        XCTAssertGreaterThan(counts[1], 0, "rank 1 took tasks: \(counts)")
        XCTAssertGreaterThan(counts[2], 0, "rank 2 took tasks: \(counts)")
    }

    /// Rank 0 times each batch as a whole, other ranks' work included: a batch takes at least its slowest task
    /// (9 ms of sleep) and at least a third of all its tasks' sleep (three workers).
    func testRankZeroTimesWholeBatches() throws {
        let (result, _, seconds) = distributed(backbones: backboneRequests)
        _ = try result.get()
        func sleep(_ seeds: [UInt64]) -> Double { seeds.map { Double(1 + $0 % 3) * 0.003 }.reduce(0, +) }
        let backboneSleep = sleep(backboneRequests.map(\.seed)), fusionSleep = sleep(fusionRequests.map(\.seed))
        XCTAssertGreaterThanOrEqual(seconds.0, max(0.009, backboneSleep / 3), "backbone batch")
        XCTAssertGreaterThanOrEqual(seconds.1, max(0.009, fusionSleep / 3), "fusion batch")
    }

    func testAFailureOnAnotherRankNamesIt() throws {
        let (result, _, _) = distributed(failingRank: 1, backbones: backboneRequests)
        XCTAssertThrowsError(try result.get()) { error in
            XCTAssertTrue("\(error)".hasPrefix("a task failed on rank 1: invalid value for seed "), "\(error)")
            XCTAssertTrue("\(error)".hasSuffix(": refused on purpose"), "\(error)")
        }
    }
}

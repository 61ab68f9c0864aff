import XCTest
import HNASKit
@testable import SearchDARTS

/// End to end on the synthetic XOR task (label = bit of modality A XOR bit of modality B), whose
/// unimodal ceiling is 50 % by construction.
final class SyntheticSearchTests: XCTestCase {
    /// Settings under which darts separates the informative pair in every one of 30 seeds
    /// (`hnas bench fusion`, BENCHMARKS.md); `light` shrinks them for tests of plumbing only.
    func options(_ fusionProtocol: FusionProtocol, light: Bool = false) -> FusionSearchOptions {
        var options = FusionSearchOptions(seed: 3)
        options.fusionProtocol = fusionProtocol
        options.channels = 16
        options.length = 4
        options.epochs = 10
        options.retrainEpochs = 12
        options.batchSize = 32
        options.learningRateMax = 3e-3
        options.learningRateMin = 1e-4
        options.archLearningRate = 3e-2
        if light {
            options.channels = 8
            options.epochs = 3
            options.retrainEpochs = 3
        }
        return options
    }

    func testDARTSSoundSearchLearnsTheJointTask() throws {
        let task = SyntheticFusionTask()
        let result = try DARTSFusionSearch().search(task.problem(steps: 1, nodeSteps: 1), options: options(.sound),
                                                    hardware: FusionTable.tx2, progress: nil)
        XCTAssertEqual(result.genotype.edges.map(\.input), [task.informativeNodes.a, task.informativeNodes.b], result.genotype.pythonRepr)
        XCTAssertGreaterThan(result.metric, 80, "test accuracy of the retrained derived network; unimodal ceiling is 50")
        XCTAssertEqual(result.cost?.rows.count, 1)
    }

    func testOriginalProtocolReportsTheSupernetsBestTestMetric() throws {
        let result = try DARTSFusionSearch().search(SyntheticFusionTask().problem(steps: 2, nodeSteps: 1), options: options(.original, light: true),
                                                    hardware: FusionTable.tx2, progress: nil)
        let testMetrics = result.history.filter { $0.phase == "search-arch" }.compactMap(\.metric)
        XCTAssertEqual(result.metric, testMetrics.max())
        XCTAssertEqual(result.genotype.steps.count, 2)
    }

    func testRandomSearchRetrainsARandomGenotype() throws {
        let result = try RandomFusionSearch().search(SyntheticFusionTask().problem(steps: 1, nodeSteps: 2), options: options(.sound, light: true),
                                                     hardware: nil, progress: nil)
        XCTAssertEqual(result.genotype.steps[0].innerSteps.count, 2)
        XCTAssertNil(result.cost)
        XCTAssertEqual(result.history.filter { $0.phase == "retrain" }.count, 3)
    }

    func testPluginsAreRegistered() throws {
        var registry = Registry()
        register(into: &registry)
        XCTAssertEqual(registry.fusionSearches.names, ["darts", "random"])
        XCTAssertEqual(try registry.fusionSearches.make("random").name, "random")
    }
}

final class MultiLabelSearchTests: XCTestCase {
    /// The multi-label path (BCE loss, weighted F1) runs through search and retraining.
    func testMultiLabelProblemRunsBothProtocols() throws {
        func split(_ n: Int, seed: UInt64) throws -> FusionSplit {
            let a = FiniteDifferences.random([n, 3], seed: seed), b = FiniteDifferences.random([n, 2, 2, 2], seed: seed + 1)
            let targets = try Tensor(shape: [n, 3], scalars: a.scalars.map { $0 > 0 ? 1 : 0 })
            return try FusionSplit(features: [a, b], labels: .multiLabel(targets))
        }
        let problem = try FusionProblem(train: split(40, seed: 1), validation: split(12, seed: 3), test: split(12, seed: 5),
                                        steps: 1, nodeSteps: 1)
        for fusionProtocol in FusionProtocol.allCases {
            let options = tinyOptions(fusionProtocol, epochs: 1)
            let result = try DARTSFusionSearch().search(problem, options: options, hardware: nil, progress: nil)
            XCTAssertTrue((0...100).contains(result.metric), "\(fusionProtocol): \(result.metric)")
            XCTAssertEqual(result.genotype.concat, [1, 2])
        }
    }
}

final class GuardTests: XCTestCase {
    /// The original aborts with a crash on a NaN epoch (§10.9) and on a missing genotype (§10.10);
    /// here the search ends with a genotype and notes saying what happened.
    func testNaNFeaturesEndTheSearchWithNotes() throws {
        var nan = FiniteDifferences.random([16, 3], seed: 1).scalars
        nan[5] = .nan
        let split = try FusionSplit(features: [Tensor(shape: [16, 3], scalars: nan), FiniteDifferences.random([16, 2], seed: 2)],
                                    labels: .classes((0..<16).map { $0 % 2 }, classes: 2))
        let problem = try FusionProblem(train: split, validation: split, test: split, steps: 1, nodeSteps: 1)
        for fusionProtocol in FusionProtocol.allCases {
            let options = tinyOptions(fusionProtocol, epochs: 2)
            let result = try DARTSFusionSearch().search(problem, options: options, hardware: nil, progress: nil)
            XCTAssertEqual(result.genotype.steps.count, 1)
            XCTAssertTrue(result.notes.contains { $0.contains("NaN") }, "\(fusionProtocol): \(result.notes)")
            XCTAssertNoThrow(try JSONEncoder().encode(result), "a result with NaN losses still encodes as JSON")
        }
    }
}

/// Options for plumbing tests: C = 4, L = 4, batch 8, `epochs` for search and retraining.
func tinyOptions(_ fusionProtocol: FusionProtocol, epochs: Int) -> FusionSearchOptions {
    var options = FusionSearchOptions(seed: 1)
    options.fusionProtocol = fusionProtocol
    options.channels = 4
    options.length = 4
    options.epochs = epochs
    options.retrainEpochs = epochs
    options.batchSize = 8
    return options
}

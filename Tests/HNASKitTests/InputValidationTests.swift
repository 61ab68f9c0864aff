import Foundation
import HNASKit
import XCTest

/// The shared validators of read-back inputs: a resumed `SearchState` and a fusion genotype (one rule for
/// `lut estimate`, `genotype plot` and the genotype reader).
final class InputValidationTests: XCTestCase {
    private func state(generation: Int, archive: Int, front: [Int]) -> SearchState {
        var settings = SearchSettings()
        settings.generations = 4
        let result = MultimodalResult(id: "evo_0_0", generation: 0, backbones: [], backboneEvaluations: [],
                                      macro: FusionMacro(cells: 1, nodes: 1),
                                      fusion: FusionEvaluation(accuracy: 50, fusionCost: .zero, genotype: ""))
        return SearchState(strategy: "evolution", settings: settings, seed: 1, generation: generation,
                           archive: Array(repeating: result, count: archive), paretoFront: front, rng: SeededGenerator(seed: 1))
    }

    private func message(_ body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        return "no error"
    }

    func testResumedStatesAreCheckedBeforeTheyAreIndexed() {
        XCTAssertNoThrow(try state(generation: 0, archive: 0, front: []).validate())
        XCTAssertNoThrow(try state(generation: 2, archive: 3, front: [0, 2]).validate())
        XCTAssertEqual(message { try state(generation: -5, archive: 3, front: [0]).validate() },
                       "invalid value for generation: -5 is outside 0...4 (evo_iter)")
        XCTAssertEqual(message { try state(generation: 9, archive: 3, front: [0]).validate() },
                       "invalid value for generation: 9 is outside 0...4 (evo_iter)")
        XCTAssertEqual(message { try state(generation: 1, archive: 0, front: []).validate() },
                       "invalid value for archive: is empty after 1 generation(s)")
        XCTAssertEqual(message { try state(generation: 1, archive: 3, front: [0, 7]).validate() },
                       "invalid value for paretoFront: [0, 7] names candidates outside the archive of 3")
        XCTAssertEqual(message { try state(generation: 1, archive: 3, front: [2, 1]).validate() },
                       "invalid value for paretoFront: [2, 1] is not a non-empty ascending list of distinct indices")
        XCTAssertTrue(message { try state(generation: 1, archive: 3, front: []).validate() }.contains("paretoFront"))
    }

    private let cell = FusionGenotype.Step(innerEdges: [.init("skip", 1), .init("skip", 0)], innerSteps: ["ConcatFC"], innerConcat: [2])

    func testGenotypesNeedTwoEdgesPerCellReadingEarlierStates() {
        let good = FusionGenotype(edges: [.init("skip", 3), .init("skip", 6), .init("skip", 8), .init("skip", 1)],
                                  steps: [cell, cell], concat: [8, 9])
        XCTAssertNoThrow(try good.validate())
        var fewer = good
        fewer.edges.removeLast(2)
        XCTAssertEqual(message { try fewer.validate() }, "invalid value for genotype.edges: has 2 edges for 2 cells (two per cell)")
        var forward = good
        forward.edges[0].input = 8
        XCTAssertEqual(message { try forward.validate() }, "invalid value for genotype.edges[0]: state 8 does not exist there (0..<8)")
        var inner = good
        inner.steps[1].innerEdges[0].input = 2
        XCTAssertEqual(message { try inner.validate() },
                       "invalid value for genotype.steps[1].inner_edges[0]: state 2 does not exist there (0..<2)")
        var concat = good
        concat.concat = []
        XCTAssertEqual(message { try concat.validate() }, "invalid value for genotype.concat: is empty")
        // The architecture check (`lut estimate`) reports the same rule under its field name.
        let architecture = FusionArchitecture(steps: 2, nodeSteps: 1, genotype: fewer)
        XCTAssertEqual(message { try architecture.validate() },
                       "invalid value for fusion.genotype.edges: has 2 edges for 2 cells (two per cell)")
    }
}

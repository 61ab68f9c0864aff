import Foundation
import HNASKit
import XCTest

/// The shared validator of a read-back input: a resumed `SearchState` (the genotype's is in
/// SearchDARTSTests/GenotypeValidationTests).
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
}

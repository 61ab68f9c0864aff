import Foundation
import HNASKit
import SearchDARTS
import XCTest

/// The one genotype validator behind `lut estimate`, `genotype plot` and the genotype reader.
final class GenotypeValidationTests: XCTestCase {
    private func message(_ body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        return "no error"
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
        XCTAssertEqual(message { _ = try FusionGenotype(architecture: architecture) },
                       "invalid value for fusion.genotype.edges: has 2 edges for 2 cells (two per cell)")
    }
}

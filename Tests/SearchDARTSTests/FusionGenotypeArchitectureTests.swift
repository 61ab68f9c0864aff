import Foundation
import XCTest
import HNASKit
@testable import SearchDARTS

/// A DARTS genotype inside `arch.json`: read from the original's object or its printed string,
/// checked against the macro-architecture and the operator sets, errors naming the field.
final class FusionGenotypeArchitectureTests: XCTestCase {
    private let valid = """
        {"dataset": "avmnist",
         "backbones": {"image": {"ks": [5,5,5,5], "e": [3,3,4,3], "d": [2]},
                       "audio": {"ks": [3,3,7,3], "e": [3,3,3,6], "d": [2]}},
         "fusion": {"steps": 2, "node_steps": 1,
                    "genotype": {"edges": [["skip", 3], ["skip", 6], ["skip", 0], ["skip", 5]],
                                 "steps": [{"inner_edges": [["skip", 1], ["skip", 0]], "inner_steps": ["ConcatFC"], "inner_concat": [2]},
                                           {"inner_edges": [["skip", 0], ["skip", 1]], "inner_steps": ["SE1"], "inner_concat": [2]}],
                                 "concat": [8, 9]}}}
        """

    /// SPEC-fusion §6.1's example, verbatim.
    private let repr = "Genotype(edges=[('skip', 3), ('skip', 6), ('skip', 0), ('skip', 5)], steps=[StepGenotype(inner_edges=[('skip', 1), ('skip', 0)], inner_steps=['ConcatFC'], inner_concat=[2]), StepGenotype(inner_edges=[('skip', 0), ('skip', 1)], inner_steps=['SE1'], inner_concat=[2])], concat=[8, 9])"

    private func genotype(_ text: String) throws -> FusionGenotype {
        try FusionGenotype(architecture: XCTUnwrap(try Architecture.decode(Data(text.utf8), source: "a.json").fusion))
    }

    private func error(_ text: String) -> String {
        do {
            _ = try genotype(text)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    func testReadsTheObjectAndTheStringAndRoundTrips() throws {
        let object = try genotype(valid)
        XCTAssertEqual(object.operators, ["ConcatFC", "SE1"])
        XCTAssertEqual(object.edges[1], FusionGenotype.Edge("skip", 6))
        XCTAssertEqual(object.pythonRepr, repr)
        XCTAssertEqual(try DARTSFusionSearch().operators(of: XCTUnwrap(try Architecture.decode(Data(valid.utf8), source: "a.json").fusion)),
                       ["ConcatFC", "SE1"])
        let escaped = repr.replacingOccurrences(of: "'", with: "\\\"")
        let json = "{\"backbones\": {}, \"fusion\": {\"steps\": 2, \"node_steps\": 1, \"genotype\": \"\(escaped)\"}}"
        XCTAssertEqual(try genotype(json), object)
        let stored = FusionArchitecture(steps: 2, nodeSteps: 1, genotype: object)
        XCTAssertEqual(try FusionGenotype(architecture: stored), object)
        XCTAssertEqual(try Architecture.decode(try Architecture(backbones: [:], fusion: stored).encoded(), source: "b.json").fusion, stored)

        XCTAssertEqual(try FusionGenotype(pythonRepr: "Genotype(edges=[], steps=[], concat=[])").steps, [])
        XCTAssertEqual(try FusionGenotype(pythonRepr: repr.replacingOccurrences(of: "'", with: "\"")), object)
        XCTAssertThrowsError(try FusionGenotype(pythonRepr: repr + " extra"))
        let broken = error(json.replacingOccurrences(of: "inner_concat=[2])]", with: "inner_concat=[2]]"))
        XCTAssertTrue(broken.contains("fusion.genotype") && broken.contains("expected ')'"), broken)
    }

    func testErrorsNameTheFieldTheValueAndTheAllowedSet() {
        let wrongType = error(valid.replacingOccurrences(of: "\"inner_steps\": [\"SE1\"]", with: "\"inner_steps\": \"SE1\""))
        XCTAssertTrue(wrongType.contains("'fusion.genotype.steps[1].inner_steps' must be"), wrongType)
        let shortEdge = error(valid.replacingOccurrences(of: "[\"skip\", 5]", with: "[\"skip\"]"))
        XCTAssertTrue(shortEdge.contains("fusion.genotype.edges[3]"), shortEdge)
        let badOp = error(valid.replacingOccurrences(of: "[\"SE1\"]", with: "[\"SE2\"]"))
        XCTAssertTrue(badOp.contains("fusion.genotype.steps[1].inner_steps[0]") && badOp.contains("'SE2'")
                      && badOp.contains("Sum, ScaleDotAttn, LinearGLU, ConcatFC, SE1, CatConvMish"), badOp)
        let badCount = error(valid.replacingOccurrences(of: "\"steps\": 2", with: "\"steps\": 3"))
        XCTAssertTrue(badCount.contains("has 2 cells but steps = 3"), badCount)
        let badEdge = error(valid.replacingOccurrences(of: "[\"skip\", 6]", with: "[\"max\", 6]"))
        XCTAssertTrue(badEdge.contains("fusion.genotype.edges[1]") && badEdge.contains("none, skip"), badEdge)
        let none = error(valid.replacingOccurrences(of: "\"genotype\"", with: "\"comment\""))
        XCTAssertTrue(none.contains("fusion.genotype: missing"), none)
    }
}

import Foundation
import XCTest
@testable import HNASKit

final class ArchitectureTests: XCTestCase {
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

    private var backbones: [String: any Backbone] {
        Dictionary(uniqueKeysWithValues: StockBackbones.costedBackbones(dataset: "avmnist").map { ($0.modality, $0.backbone as any Backbone) })
    }

    func testDecodesValidatesAndRoundTrips() throws {
        let architecture = try Architecture.decode(Data(valid.utf8), source: "a.json")
        try architecture.validate(backbones: backbones)
        XCTAssertEqual(architecture.backbones["audio"]?["e"], [3, 3, 3, 6])
        XCTAssertEqual(architecture.fusion?.nodeSteps, 1)
        XCTAssertEqual(architecture.fusion?.genotype?.operators, ["ConcatFC", "SE1"])
        XCTAssertEqual(architecture.fusion?.genotype?.edges[1], FusionGenotype.Edge("skip", 6))
        let again = try Architecture.decode(try architecture.encoded(), source: "b.json")
        XCTAssertEqual(again, architecture)
        XCTAssertTrue(String(decoding: try architecture.encoded(), as: UTF8.self).contains("\"node_steps\""))
    }

    private func decodeError(_ text: String) -> String {
        do {
            _ = try Architecture.decode(Data(text.utf8), source: "arch.json")
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    func testDecodingErrorsNameTheField() {
        XCTAssertTrue(decodeError(valid.replacingOccurrences(of: "\"node_steps\"", with: "\"nodes\""))
            .contains("'fusion.node_steps' is missing"))
        XCTAssertTrue(decodeError(valid.replacingOccurrences(of: "[5,5,5,5]", with: "[5,\"5\",5,5]"))
            .contains("'backbones.image"))
        XCTAssertTrue(decodeError(valid.replacingOccurrences(of: "\"inner_steps\": [\"SE1\"]", with: "\"inner_steps\": \"SE1\""))
            .contains("'fusion.genotype.steps[1].inner_steps' must be"))
        XCTAssertTrue(decodeError(valid.replacingOccurrences(of: "[\"skip\", 5]", with: "[\"skip\"]"))
            .contains("fusion.genotype.edges[3]"))
        XCTAssertTrue(decodeError("{\"backbones\": ").contains("arch.json"))
        XCTAssertTrue(decodeError("{}").contains("'backbones' is missing"))
    }

    private func validationError(_ text: String) throws -> String {
        let architecture = try Architecture.decode(Data(text.utf8), source: "arch.json")
        do {
            try architecture.validate(backbones: backbones)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    func testValuesOutsideTheSpaceNameTheValueAndAllowedSet() throws {
        let badKernel = try validationError(valid.replacingOccurrences(of: "[5,5,5,5]", with: "[5,5,4,5]"))
        XCTAssertTrue(badKernel.contains("backbones.image") && badKernel.contains("= 4 is not in the allowed set [3, 5, 7]"), badKernel)
        let badDepth = try validationError(valid.replacingOccurrences(of: "\"e\": [3,3,3,6], \"d\": [2]", with: "\"e\": [3,3,3,6], \"d\": [5]"))
        XCTAssertTrue(badDepth.contains("backbones.audio") && badDepth.contains("[2, 3, 4]"), badDepth)
        let badOp = try validationError(valid.replacingOccurrences(of: "[\"SE1\"]", with: "[\"SE2\"]"))
        XCTAssertTrue(badOp.contains("fusion.genotype.steps[1].inner_steps[0]") && badOp.contains("'SE2'")
                      && badOp.contains("Sum, ScaleDotAttn, LinearGLU, ConcatFC, SE1, CatConvMish"), badOp)
        let badCount = try validationError(valid.replacingOccurrences(of: "\"steps\": 2", with: "\"steps\": 3"))
        XCTAssertTrue(badCount.contains("has 2 cells but steps = 3"), badCount)
        let badEdge = try validationError(valid.replacingOccurrences(of: "[\"skip\", 6]", with: "[\"max\", 6]"))
        XCTAssertTrue(badEdge.contains("fusion.genotype.edges[1]") && badEdge.contains("none, skip"), badEdge)
        let missing = try validationError(valid.replacingOccurrences(of: "\"audio\"", with: "\"sound\""))
        XCTAssertTrue(missing.contains("backbones.audio: missing"), missing)
    }

    /// SPEC-fusion §6.1's example, verbatim.
    private let repr = "Genotype(edges=[('skip', 3), ('skip', 6), ('skip', 0), ('skip', 5)], steps=[StepGenotype(inner_edges=[('skip', 1), ('skip', 0)], inner_steps=['ConcatFC'], inner_concat=[2]), StepGenotype(inner_edges=[('skip', 0), ('skip', 1)], inner_steps=['SE1'], inner_concat=[2])], concat=[8, 9])"

    func testGenotypeReprParsesPrintsAndIsAcceptedInJSON() throws {
        let genotype = try FusionGenotype(pythonRepr: repr)
        XCTAssertEqual(genotype, try Architecture.decode(Data(valid.utf8), source: "a.json").fusion?.genotype)
        XCTAssertEqual(genotype.pythonRepr, repr)
        XCTAssertEqual(try FusionGenotype(pythonRepr: "Genotype(edges=[], steps=[], concat=[])").steps, [])
        XCTAssertEqual(try FusionGenotype(pythonRepr: repr.replacingOccurrences(of: "'", with: "\"")), genotype)

        let escaped = repr.replacingOccurrences(of: "'", with: "\\\"")
        let json = "{\"backbones\": {}, \"fusion\": {\"steps\": 2, \"node_steps\": 1, \"genotype\": \"\(escaped)\"}}"
        XCTAssertEqual(try Architecture.decode(Data(json.utf8), source: "r.json").fusion?.genotype, genotype)

        let broken = json.replacingOccurrences(of: "inner_concat=[2])]", with: "inner_concat=[2]]")
        let message = decodeError(broken)
        XCTAssertTrue(message.contains("'fusion.genotype'") && message.contains("expected ')'"), message)
        XCTAssertThrowsError(try FusionGenotype(pythonRepr: repr + " extra"))
    }
}

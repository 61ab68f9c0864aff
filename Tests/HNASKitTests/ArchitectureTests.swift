import Foundation
import XCTest
@testable import HNASKit

final class ArchitectureTests: XCTestCase {
    private let valid = """
        {"dataset": "avmnist",
         "backbones": {"image": {"ks": [5,5,5,5], "e": [3,3,4,3], "d": [2]},
                       "audio": {"ks": [3,3,7,3], "e": [3,3,3,6], "d": [2]}},
         "fusion": {"steps": 2, "node_steps": 1,
                    "genotype": {"concat": [8, 9], "cells": [{"op": "any plugin's JSON", "weight": 0.5, "on": true}], "none": null}}}
        """

    private var backbones: [String: any Backbone] {
        Dictionary(uniqueKeysWithValues: StockBackbones.all.filter { $0.dataset == "avmnist" }.map { ($0.modality, $0.backbone as any Backbone) })
    }

    func testDecodesValidatesAndRoundTrips() throws {
        let architecture = try Architecture.decode(Data(valid.utf8), source: "a.json")
        try architecture.validate(backbones: backbones)
        XCTAssertEqual(architecture.backbones["audio"]?["e"], [3, 3, 3, 6])
        XCTAssertEqual(architecture.fusion?.nodeSteps, 1)
        // The genotype is the fusion plugin's: kept as read (SearchDARTSTests read it as a DARTS genotype).
        guard case .object(let genotype)? = architecture.fusion?.genotype else { return XCTFail("genotype not kept as an object") }
        XCTAssertEqual(genotype["concat"], .array([.number(8), .number(9)]))
        XCTAssertEqual(genotype["cells"], .array([.object(["op": .string("any plugin's JSON"), "weight": .number(0.5), "on": .bool(true)])]))
        XCTAssertEqual(genotype["none"], .null)
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
        let badSteps = try validationError(valid.replacingOccurrences(of: "\"steps\": 2", with: "\"steps\": 0"))
        XCTAssertTrue(badSteps.contains("fusion.steps") && badSteps.contains("0 is not a positive cell count"), badSteps)
        let missing = try validationError(valid.replacingOccurrences(of: "\"audio\"", with: "\"sound\""))
        XCTAssertTrue(missing.contains("backbones.audio: missing"), missing)
    }

    func testAGenotypeStringIsKeptAsAString() throws {
        let json = "{\"backbones\": {}, \"fusion\": {\"steps\": 1, \"node_steps\": 1, \"genotype\": \"Genotype(edges=[])\"}}"
        let architecture = try Architecture.decode(Data(json.utf8), source: "r.json")
        XCTAssertEqual(architecture.fusion?.genotype, .string("Genotype(edges=[])"))
        XCTAssertEqual(try Architecture.decode(try architecture.encoded(), source: "again.json"), architecture)
        XCTAssertNil(try Architecture.decode(Data("{\"backbones\": {}, \"fusion\": {\"steps\": 1, \"node_steps\": 1}}".utf8),
                                             source: "none.json").fusion?.genotype)
    }
}

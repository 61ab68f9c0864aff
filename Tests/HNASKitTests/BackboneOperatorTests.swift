import XCTest
@testable import HNASKit

/// A two-stage OFA-like space: `ks`/`e` per block slot, `d` per stage.
private struct ToyBackbone: Backbone {
    let name = "toy"
    let geneOrder = ["ks", "e", "d"]
    let searchSpace: [String: [[Int]]] = [
        "ks": Array(repeating: [3, 5, 7], count: 8),
        "e": Array(repeating: [3, 4, 6], count: 8),
        "d": Array(repeating: [2, 3, 4], count: 2),
    ]
    func layerDescriptors(_ config: BackboneConfig) throws -> [LayerDescriptor] { [] }
}

final class BackboneOperatorTests: XCTestCase {
    func testMinMaxAndRandomSamplesStayInSpace() throws {
        let space = ToyBackbone()
        var rng = SeededGenerator(seed: 11)
        XCTAssertEqual(space.sample(.max, using: &rng), BackboneConfig(["ks": Array(repeating: 7, count: 8),
                                                                        "e": Array(repeating: 6, count: 8), "d": [4, 4]]))
        XCTAssertEqual(space.sample(.min, using: &rng)["d"], [2, 2])
        for _ in 0..<50 { try space.validate(space.sample(.random, using: &rng)) }
    }

    func testMutationAlwaysChangesToAnotherAllowedValue() throws {
        let space = ToyBackbone()
        var rng = SeededGenerator(seed: 5)
        let parent = space.sample(.min, using: &rng)
        let child = space.mutate(parent, probability: 1, using: &rng)
        try space.validate(child)
        for gene in space.geneOrder {
            for (a, b) in zip(parent[gene]!, child[gene]!) { XCTAssertNotEqual(a, b, gene) }
        }
        XCTAssertEqual(space.mutate(parent, probability: 0, using: &rng), parent)
    }

    func testCrossoverTakesEachGeneFromAParentAndIsReproducible() {
        let space = ToyBackbone()
        var rng = SeededGenerator(seed: 9)
        let a = space.sample(.min, using: &rng), b = space.sample(.max, using: &rng)
        var r1 = SeededGenerator(seed: 2), r2 = SeededGenerator(seed: 2)
        let c1 = space.crossover(a, b, probability: 0.8, using: &r1)
        XCTAssertEqual(c1, space.crossover(a, b, probability: 0.8, using: &r2))
        for gene in space.geneOrder {
            for (i, v) in c1[gene]!.enumerated() { XCTAssertTrue(v == a[gene]![i] || v == b[gene]![i]) }
        }
        XCTAssertEqual(space.crossover(a, b, probability: 1, using: &r1), a)
        XCTAssertEqual(space.crossover(a, b, probability: 0, using: &r1), b)
    }

    func testValidationNamesGenePositionValueAndAllowedSet() {
        let space = ToyBackbone()
        var bad = BackboneConfig(["ks": Array(repeating: 3, count: 8), "e": Array(repeating: 3, count: 8), "d": [2, 5]])
        XCTAssertThrowsError(try space.validate(bad)) {
            XCTAssertEqual("\($0)", "invalid value for toy config: gene 'd'[1] = 5 is not in the allowed set [2, 3, 4]")
        }
        bad["d"] = [2]
        XCTAssertThrowsError(try space.validate(bad)) {
            XCTAssertEqual("\($0)", "invalid value for toy config: gene 'd' has 1 values, expected 2")
        }
        bad["d"] = [2, 2]
        bad["w"] = [1]
        XCTAssertThrowsError(try space.validate(bad)) {
            XCTAssertEqual("\($0)", "invalid value for toy config: unknown gene 'w' (genes: ks, e, d)")
        }
    }
}

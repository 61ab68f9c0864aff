import XCTest
import HNASKit
@testable import SearchDARTS

final class GenotypeTests: XCTestCase {
    /// SPEC-fusion §9.3: N = 8, S = 2, T = 1.
    func testDerivationOfTheWorkedExample() throws {
        let cell0: [Float] = [0.51, 0.50, 0.49, 0.55, 0.50, 0.50, 0.58, 0.50]
        let cell1: [Float] = [0.60, 0.50, 0.50, 0.50, 0.50, 0.57, 0.50, 0.50]
        var gammas0 = [Float](repeating: 0.1, count: 6), gammas1 = gammas0
        gammas0[3] = 0.3   // ConcatFC
        gammas1[4] = 0.3   // SE1
        let outcome = try GenotypeDerivation(inputNodes: 8, multiplier: 2).derive(
            edgeSkip: cell0 + cell1 + [0.99], cells: [(betaSkip: [0.49, 0.51], gammas: gammas0), (betaSkip: [0.52, 0.48], gammas: gammas1)])
        XCTAssertEqual(outcome.genotype.pythonRepr, "Genotype(edges=[('skip', 3), ('skip', 6), ('skip', 0), ('skip', 5)], steps=[StepGenotype(inner_edges=[('skip', 1), ('skip', 0)], inner_steps=['ConcatFC'], inner_concat=[2]), StepGenotype(inner_edges=[('skip', 0), ('skip', 1)], inner_steps=['SE1'], inner_concat=[2])], concat=[8, 9])")
        XCTAssertTrue(outcome.notes.isEmpty)
    }

    func testTiesTakeTheEarliestCandidates() throws {
        // Equal weights: pair (0, 1); inner step 1 ranks candidates 0, 1, 2 by index; first argmax op (Sum).
        let outcome = try GenotypeDerivation(inputNodes: 3, multiplier: 2).derive(
            edgeSkip: [0.5, 0.5, 0.5], cells: [(betaSkip: [0.5, 0.5, 0.4, 0.6, 0.6], gammas: [Float](repeating: 1, count: 12))])
        XCTAssertEqual(outcome.genotype.edges, [.init("skip", 0), .init("skip", 1)])
        XCTAssertEqual(outcome.genotype.steps[0].innerEdges.map(\.input), [0, 1, 1, 2])
        XCTAssertEqual(outcome.genotype.steps[0].innerSteps, ["Sum", "Sum"])
        XCTAssertEqual(outcome.genotype.steps[0].innerConcat, [3])
        XCTAssertEqual(outcome.genotype.concat, [2, 3])
    }

    /// N = 2, S = 2: the second cell has no pair with an unused node; the original crashes, we fall back and say so.
    func testNoAdmissiblePairFallsBackWithANote() throws {
        let outcome = try GenotypeDerivation(inputNodes: 2, multiplier: 2).derive(
            edgeSkip: [0.5, 0.5, 0.4, 0.6, 0.5], cells: Array(repeating: (betaSkip: [0.5, 0.5], gammas: [Float](repeating: 1, count: 6)), count: 2))
        XCTAssertEqual(outcome.genotype.edges.map(\.input), [0, 1, 0, 1])
        XCTAssertEqual(outcome.notes.count, 1)
        XCTAssertTrue(outcome.notes[0].contains("without the 'unused' rule"))
    }

    func testSearchNetworkDerivesFromItsParameters() throws {
        var generator = SeededGenerator(seed: 1)
        let shape = FusionShape(inputChannels: [2, 2, 2, 2], channels: 2, length: 1, outputs: 2, steps: 1, nodeSteps: 1)
        let net = try SearchNetwork(shape: shape, generator: &generator)
        net.alphaEdges.value = try Tensor(shape: [4, 2], scalars: [0, 0, 0, 1, 0, 0, 0, 2])
        net.cells[0].betas.value = try Tensor(shape: [2, 2], scalars: [0, 0, 0, 1])
        net.cells[0].gammas.value = try Tensor(shape: [1, 6], scalars: [0, 0, 3, 0, 0, 0])
        XCTAssertEqual(try net.deriveGenotype().genotype.pythonRepr,
                       "Genotype(edges=[('skip', 1), ('skip', 3)], steps=[StepGenotype(inner_edges=[('skip', 1), ('skip', 0)], inner_steps=['LinearGLU'], inner_concat=[2])], concat=[3, 4])")
    }

    func testRandomGenotypesAreValidAndSeeded() throws {
        for seed in 0..<20 as Range<UInt64> {
            var generator = SeededGenerator(seed: seed)
            let g = try RandomGenotype.sample(inputNodes: 4, steps: 3, nodeSteps: 2, multiplier: 2, generator: &generator)
            try g.validate(steps: 3, nodeSteps: 2)
            XCTAssertTrue(g.edges.allSatisfy { $0.input < 4 })
            XCTAssertEqual(g.concat, [5, 6])
            var again = SeededGenerator(seed: seed)
            XCTAssertEqual(try RandomGenotype.sample(inputNodes: 4, steps: 3, nodeSteps: 2, multiplier: 2, generator: &again), g)
        }
    }

    func testDOTHasTheOriginalsNodesAndEdges() throws {
        let genotype = try FusionGenotype(pythonRepr: "Genotype(edges=[('skip', 3), ('skip', 6), ('skip', 0), ('skip', 5)], steps=[StepGenotype(inner_edges=[('skip', 1), ('skip', 0)], inner_steps=['ConcatFC'], inner_concat=[2]), StepGenotype(inner_edges=[('skip', 0), ('skip', 1)], inner_steps=['SE1'], inner_concat=[2])], concat=[8, 9])")
        let dot = try GenotypeDOT(genotype: genotype, groups: [.init(name: "Image", count: 4), .init(name: "Audio", count: 4)]).source
        for line in ["\"Image_4\" -> \"X_C1\" [color=blue];", "\"Audio_3\" -> \"Y_C1\" [color=blue];",
                     "\"Image_1\" -> \"X_C2\" [color=blue];", "\"Audio_2\" -> \"Y_C2\" [color=blue];",
                     "\"Y_C1\" -> \"C1_S1\\nConcatFC\";", "\"X_C1\" -> \"C1_S1\\nConcatFC\";", "\"C2_S1\\nSE1\" -> \"Z_C2\";",
                     "\"Z_C1\" -> \"Reduction\\nOutput\" [color=blue];", "\"Z_C2\" -> \"Reduction\\nOutput\" [color=blue];",
                     "\"Image_4\" -> \"Audio_1\" [style=invis];", "rankdir=LR;"] {
            XCTAssertTrue(dot.contains(line), "missing \(line) in\n\(dot)")
        }
        XCTAssertThrowsError(try GenotypeDOT(genotype: genotype, groups: [.init(name: "Image", count: 4)])) {
            XCTAssertTrue("\($0)".contains("the genotype has 8"), "\($0)")
        }
    }
}

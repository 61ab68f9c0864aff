import HNASKit
@testable import SearchDARTS
import XCTest

/// Genotype derivation from given α, β, γ against the original's rule restated in
/// `Scripts/make_fusion_goldens.py` (SPEC-fusion §6.2–6.3, `fusion_genotypes.safetensors`): random
/// weights, exact ties (the earliest pair / lower index / first operator wins), the "at least one
/// unused input" rule, and a cell with no admissible pair.
final class GenotypeGoldenTests: XCTestCase {
    func testDerivationMatchesTheOriginal() throws {
        let golden = try Golden("fusion_genotypes.safetensors")
        for name in ["random", "ties", "unused", "exhausted"] {
            var cells = 0
            while golden.file.tensors["\(name).fusion_net.cells.\(cells).betas"] != nil { cells += 1 }
            let nodeSteps = try golden.tensor("\(name).fusion_net.cells.0.gammas").shape[0]
            var generator = SeededGenerator(seed: 1)
            let shape = FusionShape(inputChannels: [1, 1, 1, 1], channels: 1, length: 1, outputs: 2, steps: cells, nodeSteps: nodeSteps)
            let net = try SearchNetwork(shape: shape, generator: &generator)
            for (key, p) in net.namedArchitectureParameters { p.value = try golden.tensor("\(name).\(key)") }
            let outcome = try net.deriveGenotype()
            let original = try golden.metadata(name)
            if original == "IndexError" {
                // Deviation (README, "fusion genotype derivation"): the original crashes; hnas takes the
                // best pair without the 'unused' rule and says so in a note.
                XCTAssertEqual(outcome.genotype.pythonRepr, try golden.metadata("\(name).fallback"), name)
                XCTAssertEqual(outcome.notes.count, 1, name)
            } else {
                XCTAssertEqual(outcome.genotype.pythonRepr, original, name)
                XCTAssertTrue(outcome.notes.isEmpty, name)
            }
        }
    }
}

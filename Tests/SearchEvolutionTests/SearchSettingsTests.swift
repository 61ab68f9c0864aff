import HNASKit
import XCTest

final class SearchSettingsTests: XCTestCase {
    func testOriginalYAMLKeysOverrideDefaults() throws {
        var settings = SearchSettings()
        try settings.apply(configuration: [
            "evo_search_outer": ["parent_popu_size": 128, "survival_ratio": 0.3, "mutate_size": 64, "crossover_size": "64",
                                 "mutate_prob": 0.4, "crossover_prob": 0.8, "evo_iter": 4] as [String: Any],
            "evo_search_inner": ["survival_ratio": 0.25],
            "fusion_epochs": 50,
        ])
        XCTAssertEqual(settings.parentPopulationSize, 128)
        XCTAssertEqual(settings.generations, 4)
        XCTAssertEqual(settings.innerSurvivors, 32)
        XCTAssertEqual(settings.outerSurvivors, 10) // MM-IMDB: ceil(32 · 0.3)
        XCTAssertTrue(settings.offspringCounts == (64, 64))
        try settings.validate()
    }

    /// YAML parsers (Yams) give mappings as `[AnyHashable: Any]`.
    func testAnyHashableSectionsAreAccepted() throws {
        var settings = SearchSettings()
        let outer: [AnyHashable: Any] = ["evo_iter": 7, "mutate_prob": 0.25]
        try settings.apply(configuration: ["evo_search_outer": outer])
        XCTAssertEqual(settings.generations, 7)
        XCTAssertEqual(settings.mutateProbability, 0.25)
    }

    func testBadValuesNameTheKey() {
        var settings = SearchSettings()
        XCTAssertThrowsError(try settings.apply(configuration: ["evo_search_outer": ["evo_iter": 2.5]])) { error in
            XCTAssertTrue("\(error)".contains("evo_search_outer.evo_iter"), "\(error)")
        }
        XCTAssertThrowsError(try settings.apply(configuration: ["evo_search_inner": ["survival_ratio": "a lot"]])) { error in
            XCTAssertTrue("\(error)".contains("evo_search_inner.survival_ratio"), "\(error)")
        }
        XCTAssertThrowsError(try settings.apply(configuration: ["evo_search_outer": 3]))
    }

    /// Pitfall 1: sizes that do not add up to P are rescaled to P keeping their ratio.
    func testOffspringCountIsAlwaysP() {
        var settings = SearchSettings()
        settings.crossoverSize = 64
        settings.mutateSize = 64
        XCTAssertTrue(settings.offspringCounts == (4, 4))
        settings.parentPopulationSize = 10
        settings.crossoverSize = 1
        settings.mutateSize = 2
        XCTAssertTrue(settings.offspringCounts == (3, 7))
    }

    func testMacroSpacesOfTheStockDatasets() throws {
        XCTAssertEqual(MacroSpace.memes.allowedNodes, [1, 2, 3, 4, 5])
        XCTAssertEqual(MacroSpace.avmnist.allowedCells, [1, 2, 3, 4])
        // P(cells = default) = 0.6 under the original's rule.
        var rng = SeededGenerator(seed: 1)
        let draws = (0..<20000).map { _ in MacroSpace.avmnist.sample(using: &rng) }
        XCTAssertEqual(Double(draws.filter { $0.cells == 2 }.count) / 20000, 0.6, accuracy: 0.015)
        XCTAssertEqual(Double(draws.filter { $0.nodes == 4 }.count) / 20000, 0.4 / 3, accuracy: 0.015)
        // Mutation with probability 1 always changes both genes.
        let mutated = MacroSpace.avmnist.mutate(FusionMacro(cells: 2, nodes: 1), probability: 1, using: &rng)
        XCTAssertNotEqual(mutated.cells, 2)
        XCTAssertNotEqual(mutated.nodes, 1)
    }
}

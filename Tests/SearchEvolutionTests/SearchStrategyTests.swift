import Foundation
import HNASKit
import SearchEvolution
import XCTest

final class SearchStrategyTests: XCTestCase {
    /// P = 16, 8 fused per generation, 4 elites, 8 + 8 children, 24 generations: 192 fusion searches.
    private func settings(generations: Int = 24, evolveMacro: Bool = false) -> SearchSettings {
        var settings = SearchSettings()
        settings.parentPopulationSize = 16
        settings.innerSurvivalRatio = 0.5
        settings.outerSurvivalRatio = 0.5
        settings.crossoverSize = 8
        settings.mutateSize = 8
        settings.generations = generations
        settings.evolveMacro = evolveMacro
        return settings
    }

    private func run(_ strategy: any SearchStrategy, _ settings: SearchSettings, modalities: Int, seed: UInt64) throws -> SearchState {
        let evaluator = FakeEvaluator(modalities: modalities)
        var state = try strategy.start(settings: settings, evaluator: evaluator, seed: seed)
        while !state.isFinished { state = try strategy.step(state, evaluator: evaluator) }
        return state
    }

    private func frontHypervolume(_ state: SearchState, modalities: Int) throws -> Double {
        try state.frontHypervolume(reference: FakeEvaluator.reference(modalities: modalities))
    }

    func testEvolutionConvergesAndBeatsRandomAtEqualBudget() throws {
        for modalities in [1, 2] {
            let optimal = try Hypervolume.of(try FakeEvaluator.optimalCandidates(modalities: modalities, space: .avmnist),
                                             reference: FakeEvaluator.reference(modalities: modalities))
            var evolutionTotal = 0.0, randomTotal = 0.0
            for seed in [1, 2, 3] as [UInt64] {
                let evolution = try run(EvolutionSearch(), settings(), modalities: modalities, seed: seed)
                let random = try run(RandomSearch(), settings(), modalities: modalities, seed: seed)
                XCTAssertEqual(evolution.archive.count, 192)
                XCTAssertEqual(random.archive.count, evolution.archive.count, "equal budget of fusion searches")
                let evolutionHV = try frontHypervolume(evolution, modalities: modalities)
                XCTAssertLessThanOrEqual(evolutionHV, optimal * (1 + 1e-12))
                let randomHV = try frontHypervolume(random, modalities: modalities)
                XCTAssertGreaterThan(evolutionHV, randomHV, "modalities \(modalities), seed \(seed)")
                evolutionTotal += evolutionHV
                randomTotal += randomHV
                XCTAssertGreaterThan(evolutionHV / optimal, 0.8, "modalities \(modalities), seed \(seed)")
                // Converging: the archive front after 2 generations covers clearly less.
                var early = evolution
                early.archive = Array(evolution.archive.prefix(16))
                early.paretoFront = NonDominatedSorting.fronts(try early.archiveObjectives())[0]
                XCTAssertLessThan(try frontHypervolume(early, modalities: modalities), evolutionHV * 0.97)
                // Converging: the elites lose their waste genes.
                func meanWaste(_ generation: Int) -> Double {
                    let elites = evolution.history[generation].elites.map { evolution.archive[$0] }
                    let wastes = elites.flatMap { $0.backbones.map(FakeEvaluator.waste) }
                    return wastes.reduce(0, +) / Double(wastes.count)
                }
                XCTAssertLessThan(meanWaste(23), meanWaste(0), "seed \(seed)")
                XCTAssertLessThan(meanWaste(23), 0.3, "seed \(seed)")
            }
            XCTAssertGreaterThan(evolutionTotal, randomTotal, "modalities \(modalities)")
            print("hypervolume / optimal, \(modalities) modalities: evolution \(evolutionTotal / 3 / optimal), random \(randomTotal / 3 / optimal)")
        }
    }

    func testSameSeedSameHistoryAndDifferentSeedDiffers() throws {
        let a = try run(EvolutionSearch(), settings(generations: 4), modalities: 2, seed: 9)
        let b = try run(EvolutionSearch(), settings(generations: 4), modalities: 2, seed: 9)
        XCTAssertEqual(a, b)
        let c = try run(EvolutionSearch(), settings(generations: 4), modalities: 2, seed: 10)
        XCTAssertNotEqual(a.archive, c.archive)
        XCTAssertEqual(try run(RandomSearch(), settings(generations: 3), modalities: 1, seed: 4),
                       try run(RandomSearch(), settings(generations: 3), modalities: 1, seed: 4))
    }

    /// Writing the state as JSON after any generation and continuing from the decoded copy gives the same run.
    func testResumeFromEncodedStateIsIdentical() throws {
        let evaluator = FakeEvaluator(modalities: 2)
        let strategy = EvolutionSearch()
        let uninterrupted = try run(strategy, settings(generations: 4, evolveMacro: true), modalities: 2, seed: 5)
        var state = try strategy.start(settings: settings(generations: 4, evolveMacro: true), evaluator: evaluator, seed: 5)
        state = try strategy.step(state, evaluator: evaluator)
        state = try strategy.step(state, evaluator: evaluator)
        var resumed = try JSONDecoder().decode(SearchState.self, from: JSONEncoder().encode(state))
        while !resumed.isFinished { resumed = try strategy.step(resumed, evaluator: evaluator) }
        XCTAssertEqual(resumed, uninterrupted)
        XCTAssertThrowsError(try strategy.step(resumed, evaluator: evaluator))
        XCTAssertThrowsError(try RandomSearch().step(state, evaluator: evaluator))
    }

    /// The generation's bookkeeping follows the original's sizes and orders.
    func testGenerationShapes() throws {
        var settings = SearchSettings() // the original's AV-MNIST numbers, 64 + 64 children fixed to 4 + 4
        settings.crossoverSize = 64
        settings.mutateSize = 64
        settings.generations = 2
        let state = try run(EvolutionSearch(), settings, modalities: 2, seed: 3)
        XCTAssertEqual(settings.innerSurvivors, 2)
        XCTAssertEqual(settings.outerSurvivors, 1)
        XCTAssertTrue(settings.offspringCounts == (4, 4))
        XCTAssertEqual(state.population.count, 8, "offspring count = P")
        XCTAssertEqual(state.archive.count, 4)
        for record in state.history {
            XCTAssertEqual(record.backbones.map(\.count), [8, 8])
            XCTAssertEqual(record.backboneElites.map(\.count), [2, 2])
            XCTAssertEqual(record.fused.count, 2)
            XCTAssertEqual(record.elites.count, 1)
            // Couple i pairs the i-th survivor of each modality.
            for (i, index) in record.fused.enumerated() {
                let result = state.archive[index]
                XCTAssertEqual(result.id, "evo_\(record.generation)_\(i)")
                for m in 0..<2 { XCTAssertEqual(result.backbones[m], record.backbones[m][record.backboneElites[m][i]].config) }
                XCTAssertEqual(result.cost.latencyMs,
                               result.backboneEvaluations[0].cost.latencyMs + result.backboneEvaluations[1].cost.latencyMs
                               + result.fusion.fusionCost.latencyMs, accuracy: 1e-12)
            }
        }
        // The archive front is non-dominated and covers every archive member.
        let points = try state.archiveObjectives()
        XCTAssertEqual(points.row(0), [100 - state.archive[0].accuracy, state.archive[0].cost.latencyMs, state.archive[0].cost.energyMJ!])
        XCTAssertEqual(state.paretoFront, NonDominatedSorting.fronts(points)[0].sorted())
    }

    /// With --evolve-macro the children carry macros from the allowed sets; without, they carry none.
    func testEvolveMacroInheritsMacros() throws {
        let evolving = try run(EvolutionSearch(), settings(generations: 3, evolveMacro: true), modalities: 1, seed: 2)
        XCTAssertTrue(evolving.population.allSatisfy { $0.macro != nil })
        for candidate in evolving.population {
            XCTAssertTrue(MacroSpace.avmnist.allowedCells.contains(candidate.macro!.cells))
            XCTAssertTrue(MacroSpace.avmnist.allowedNodes.contains(candidate.macro!.nodes))
        }
        let plain = try run(EvolutionSearch(), settings(generations: 3), modalities: 1, seed: 2)
        XCTAssertTrue(plain.population.allSatisfy { $0.macro == nil })
        XCTAssertTrue(plain.archive.allSatisfy { MacroSpace.avmnist.allowedCells.contains($0.macro.cells) })
    }

    /// With --max-latency the elites respect the limit when feasible candidates exist, and the front is feasible.
    func testLatencyLimitSteersTheSearch() throws {
        var limited = settings(generations: 6)
        limited.maxLatencyMs = 8
        let state = try run(EvolutionSearch(), limited, modalities: 2, seed: 1)
        XCTAssertTrue(state.archive.contains { $0.cost.latencyMs <= 8 })
        XCTAssertTrue(state.paretoFront.allSatisfy { state.archive[$0].cost.latencyMs <= 8 })
        // Feasible candidates of a generation come first among its elites; infeasible ones only fill up.
        var sawFeasibleElite = false
        for record in state.history {
            let feasible = record.fused.filter { state.archive[$0].cost.latencyMs <= 8 }
            let eliteFeasibility = record.elites.map { state.archive[$0].cost.latencyMs <= 8 }
            let expectedFeasible = min(feasible.count, record.elites.count)
            XCTAssertEqual(eliteFeasibility, Array(repeating: true, count: expectedFeasible)
                           + Array(repeating: false, count: record.elites.count - expectedFeasible), "generation \(record.generation)")
            sawFeasibleElite = sawFeasibleElite || expectedFeasible > 0
        }
        XCTAssertTrue(sawFeasibleElite)
    }

    func testBothStrategiesAreRegistered() throws {
        var registry = Registry()
        SearchEvolution.register(into: &registry)
        XCTAssertEqual(registry.searchStrategies.names, ["evolution", "random"])
        XCTAssertEqual(try registry.searchStrategies.make("random").name, "random")
        XCTAssertEqual(try registry.searchStrategies.make("evolution").name, "evolution")
    }

    func testStartRejectsBadSettings() {
        var bad = SearchSettings()
        bad.innerSurvivalRatio = 0
        XCTAssertThrowsError(try EvolutionSearch().start(settings: bad, evaluator: FakeEvaluator(modalities: 1), seed: 0)) { error in
            XCTAssertTrue("\(error)".contains("evo_search_inner.survival_ratio"), "\(error)")
        }
        XCTAssertThrowsError(try RandomSearch().start(settings: SearchSettings(), evaluator: FakeEvaluator(modalities: 0), seed: 0))
    }
}

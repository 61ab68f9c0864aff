import HNASKit

/// The original's outer evolutionary search (`search_algo_*.py`; backbone spec §6.2), in one process.
///
/// Generation g on a population of P candidates (one backbone config per searched modality):
/// 1. evaluate every backbone alone (all of modality 0, then all of modality 1, …);
/// 2. inner survival per modality: rank-and-crowding keeps `n_in = ceil(P · r_in)` backbones;
/// 3. pairing: couple i joins the i-th survivor of every modality; its fusion macro-architecture is drawn
///    afresh by the dataset's rule (`MacroSpace.sample`), or with `--evolve-macro` inherited from the
///    candidate that supplied its modality-0 backbone;
/// 4. a fusion search per couple; the objectives `[100 − acc, latency, energy]` add the backbones' and
///    the fusion operators' costs; every result goes into the archive;
/// 5. outer survival keeps `n_out = ceil(n_in · r_out)` elites;
/// 6. the next population is ONLY offspring (no elitism, as in the original — the archive's front is
///    what a run reports): `crossover` children (two parents drawn uniformly with replacement from the
///    elites, every backbone crossed with `crossover_prob`), then `mutation` children (one parent,
///    every backbone mutated with `mutate_prob`), exactly P in all (pitfall-1 fix, see
///    `SearchSettings.offspringCounts`). With `--evolve-macro` the children's macros are crossed and
///    mutated after their backbones with the same probabilities.
///
/// Deviations from the original, by design: one random stream for the whole run (no re-seeding to 42
/// before every evaluation, so the i-th couple does not get the same macro every generation — pitfall 14);
/// couples are fused as paired (pitfall 7); no remainder is dropped (pitfall 15).
public struct EvolutionSearch: SearchStrategy {
    public let name = "evolution"

    public init() {}

    public func start(settings: SearchSettings, evaluator: any SearchEvaluator, seed: UInt64) throws -> SearchState {
        try SearchSteps.checkStart(settings: settings, evaluator: evaluator)
        var rng = SeededGenerator(seed: seed)
        let P = settings.parentPopulationSize
        // The original samples all P configs of the first modality, then all of the second.
        let configs = evaluator.backbones.map { backbone in (0..<P).map { _ in backbone.sample(.random, using: &rng) } }
        let macros: [FusionMacro?] = (0..<P).map { _ in settings.evolveMacro ? settings.macroSpace.sample(using: &rng) : nil }
        let population = (0..<P).map { i in Candidate(backbones: configs.map { $0[i] }, macro: macros[i]) }
        return SearchState(strategy: name, settings: settings, seed: seed, population: population, rng: rng)
    }

    public func step(_ state: SearchState, evaluator: any SearchEvaluator) throws -> SearchState {
        try SearchSteps.check(state, strategy: name, evaluator: evaluator)
        var state = state
        var rng = state.rng
        let settings = state.settings
        let population = state.population

        var backbones = try SearchSteps.evaluateBackbones(
            evaluator.backbones.indices.map { m in population.map { $0.backbones[m] } }, evaluator: evaluator, using: &rng)
        let innerCount = min(settings.innerSurvivors, population.count)
        var backboneElites: [[Int]] = []
        for m in backbones.indices {
            backboneElites.append(try SearchSteps.selectBackbones(&backbones[m], count: innerCount, settings: settings, using: &rng))
        }

        let couples = (0..<innerCount).map { i -> (backbones: [EvaluatedBackbone], macro: FusionMacro) in
            let members = backbones.indices.map { m in backbones[m][backboneElites[m][i]] }
            let macro = population[backboneElites[0][i]].macro ?? settings.macroSpace.sample(using: &rng)
            return (members, macro)
        }
        let fused = try SearchSteps.fuse(couples, state: &state, evaluator: evaluator, using: &rng)
        let elites = try SearchSteps.selectMultimodal(fused, count: settings.outerSurvivors, state: &state, using: &rng)

        state.population = offspring(of: elites.map { state.archive[$0] }, evaluator: evaluator, settings: settings, using: &rng)
        let record = GenerationRecord(generation: state.generation, backbones: backbones, backboneElites: backboneElites,
                                      fused: fused, elites: elites)
        try SearchSteps.close(&state, record: record, rng: rng)
        return state
    }

    /// Crossover children, then mutation children, of the elites; P in all.
    private func offspring(of elites: [MultimodalResult], evaluator: any SearchEvaluator, settings: SearchSettings,
                           using rng: inout SeededGenerator) -> [Candidate] {
        let (crossoverCount, mutationCount) = settings.offspringCounts
        let space = settings.macroSpace
        var children: [Candidate] = []
        for _ in 0..<crossoverCount {
            let first = rng.choice(elites), second = rng.choice(elites)
            let configs = evaluator.backbones.enumerated().map { m, backbone in
                backbone.crossover(first.backbones[m], second.backbones[m], probability: settings.crossoverProbability, using: &rng)
            }
            let macro = settings.evolveMacro
                ? space.crossover(first.macro, second.macro, probability: settings.crossoverProbability, using: &rng) : nil
            children.append(Candidate(backbones: configs, macro: macro))
        }
        for _ in 0..<mutationCount {
            let parent = rng.choice(elites)
            let configs = evaluator.backbones.enumerated().map { m, backbone in
                backbone.mutate(parent.backbones[m], probability: settings.mutateProbability, using: &rng)
            }
            let macro = settings.evolveMacro ? space.mutate(parent.macro, probability: settings.mutateProbability, using: &rng) : nil
            children.append(Candidate(backbones: configs, macro: macro))
        }
        return children
    }
}

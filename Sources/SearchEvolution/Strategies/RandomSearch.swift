import HNASKit

/// Random search with the evolution's budget: every generation draws `n_in = ceil(P · r_in)` couples
/// of uniformly random backbone configs (one per searched modality) and random macro-architectures
/// (the dataset's rule), evaluates their backbones (needed for their cost) and fuses them.
///
/// The budget is counted in fusion searches, the expensive step: `n_in` per generation over
/// `evo_iter` generations, as the evolution. (The evolution evaluates P backbones per modality per
/// generation, random search only the `n_in` it fuses.) Each generation's results are still ranked
/// (outer survival with `n_out`) so its record has the same shape as the evolution's.
public struct RandomSearch: SearchStrategy {
    public let name = "random"

    public init() {}

    public func start(settings: SearchSettings, evaluator: any SearchEvaluator, seed: UInt64) throws -> SearchState {
        try SearchSteps.checkStart(settings: settings, evaluator: evaluator)
        return SearchState(strategy: name, settings: settings, seed: seed, rng: SeededGenerator(seed: seed))
    }

    public func step(_ state: SearchState, evaluator: any SearchEvaluator) throws -> SearchState {
        try SearchSteps.check(state, strategy: name, evaluator: evaluator)
        var state = state
        var rng = state.rng
        let settings = state.settings
        let count = settings.innerSurvivors
        let configs = evaluator.backbones.map { backbone in (0..<count).map { _ in backbone.sample(.random, using: &rng) } }
        let macros = (0..<count).map { _ in settings.macroSpace.sample(using: &rng) }
        let backbones = try SearchSteps.evaluateBackbones(configs, evaluator: evaluator, using: &rng)
        let couples = (0..<count).map { i in (backbones: backbones.map { $0[i] }, macro: macros[i]) }
        let fused = try SearchSteps.fuse(couples, state: &state, evaluator: evaluator, using: &rng)
        let elites = try SearchSteps.selectMultimodal(fused, count: settings.outerSurvivors, state: &state, using: &rng)
        let record = GenerationRecord(generation: state.generation, backbones: backbones,
                                      backboneElites: backbones.map { Array($0.indices) }, fused: fused, elites: elites)
        try SearchSteps.close(&state, record: record, rng: rng)
        return state
    }
}

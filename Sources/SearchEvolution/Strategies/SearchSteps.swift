import HNASKit

/// The parts of a generation that every outer strategy shares: unimodal evaluation, fusion of couples
/// into the archive, multimodal selection, and closing the generation (record, archive front, counter).
enum SearchSteps {
    /// Refuses inconsistent settings and evaluators without a searched backbone.
    static func checkStart(settings: SearchSettings, evaluator: any SearchEvaluator) throws {
        try settings.validate()
        try checkBackbones(evaluator)
    }

    private static func checkBackbones(_ evaluator: any SearchEvaluator) throws {
        guard !evaluator.backbones.isEmpty else {
            throw HNASError.argument("search evaluator", why: "it has no searched backbone")
        }
    }

    /// Refuses states of another strategy, finished states and populations the evaluator cannot score.
    static func check(_ state: SearchState, strategy: String, evaluator: any SearchEvaluator) throws {
        guard state.strategy == strategy else {
            throw HNASError.argument("--search", why: "the state belongs to strategy '\(state.strategy)', not '\(strategy)'")
        }
        guard !state.isFinished else {
            throw HNASError.argument("search state", why: "all \(state.settings.generations) generations have run")
        }
        try checkBackbones(evaluator)
        for candidate in state.population where candidate.backbones.count != evaluator.backbones.count {
            throw HNASError.argument("search state", why: "a candidate has \(candidate.backbones.count) backbones, the evaluator searches \(evaluator.backbones.count)")
        }
    }

    /// Evaluates `configs[m]` on searched modality `m`, modality after modality, each config with a fresh
    /// seed, as one batch of requests (which a distributed evaluator spreads over processes).
    static func evaluateBackbones(_ configs: [[BackboneConfig]], evaluator: any SearchEvaluator,
                                  using rng: inout SeededGenerator) throws -> [[EvaluatedBackbone]] {
        let requests = configs.enumerated().map { modality, list in
            list.map { BackboneRequest(config: $0, modality: modality, seed: rng.next()) }
        }
        var evaluations = try evaluator.evaluateBackbones(requests.flatMap { $0 })[...]
        return requests.map { list in
            list.map { request in
                EvaluatedBackbone(modality: request.modality, config: request.config, evaluation: evaluations.removeFirst())
            }
        }
    }

    /// Runs the fusion search on each couple (evaluated as formed — the original's re-pairing inside a
    /// rank, pitfall 7, is not reproduced), as one batch of requests, and appends the results to the archive.
    /// - Returns: the archive indices of the new results.
    static func fuse(_ couples: [(backbones: [EvaluatedBackbone], macro: FusionMacro)], state: inout SearchState,
                     evaluator: any SearchEvaluator, using rng: inout SeededGenerator) throws -> [Int] {
        let requests = couples.map { FusionRequest(configs: $0.backbones.map(\.config), macro: $0.macro, seed: rng.next()) }
        let fusions = try evaluator.evaluateFusions(requests)
        return zip(couples, zip(requests, fusions)).enumerated().map { i, item in
            let (couple, (request, fusion)) = item
            let configs = request.configs
            state.archive.append(MultimodalResult(
                id: "evo_\(state.generation)_\(i)", generation: state.generation, backbones: configs,
                backboneEvaluations: couple.backbones.map(\.evaluation), macro: couple.macro, fusion: fusion))
            return state.archive.count - 1
        }
    }

    /// Rank-and-crowding survival of the archive entries `indices`; writes their ranks into the archive.
    /// - Returns: archive indices of the `count` survivors, in survival order.
    static func selectMultimodal(_ indices: [Int], count: Int, state: inout SearchState,
                                 using rng: inout SeededGenerator) throws -> [Int] {
        let results = indices.map { state.archive[$0] }
        let survival = try survive(accuracies: results.map(\.accuracy), costs: results.map(\.cost), what: "multimodal candidates",
                                   count: count, settings: state.settings, using: &rng)
        for (position, index) in indices.enumerated() { state.archive[index].rank = survival.rank[position] }
        return survival.survivors.map { indices[$0] }
    }

    /// Rank-and-crowding survival of one modality's evaluated backbones (the inner selection); writes their ranks.
    /// - Returns: positions of the `count` survivors, in survival order.
    static func selectBackbones(_ backbones: inout [EvaluatedBackbone], count: Int, settings: SearchSettings,
                                using rng: inout SeededGenerator) throws -> [Int] {
        let evaluations = backbones.map(\.evaluation)
        // A backbone over a limit on its own cannot be part of a feasible multimodal candidate.
        let survival = try survive(accuracies: evaluations.map(\.accuracy), costs: evaluations.map(\.cost),
                                   what: "backbones of modality \(backbones.first?.modality ?? 0)",
                                   count: count, settings: settings, using: &rng)
        for i in backbones.indices { backbones[i].rank = survival.rank[i] }
        return survival.survivors
    }

    /// Rank-and-crowding survival of points (accuracy, costs) under the settings' latency/energy limits.
    /// - Parameter what: the candidates as an error names them.
    private static func survive(accuracies: [Double], costs: [Cost], what: String, count: Int, settings: SearchSettings,
                                using rng: inout SeededGenerator) throws -> RankAndCrowdingSurvival.Result {
        let points = try Objectives.rows(accuracies: accuracies, costs: costs, what: what)
        let violations = try Objectives.violations(costs: costs, settings: settings)
        return RankAndCrowdingSurvival.select(points, count: count, violations: violations, using: &rng)
    }

    /// Appends the record, recomputes the archive's Pareto front, stores the generator and advances the generation.
    static func close(_ state: inout SearchState, record: GenerationRecord, rng: SeededGenerator) throws {
        state.history.append(record)
        let points = try state.archiveObjectives()
        let violations = try Objectives.violations(costs: state.archive.map(\.cost), settings: state.settings)
        state.paretoFront = (RankAndCrowdingSurvival.constrainedFronts(points, violations: violations, stopAfter: 1).first ?? []).sorted()
        state.rng = rng
        state.generation += 1
    }
}

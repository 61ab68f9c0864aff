import Foundation

/// The knobs of the outer search, named after the original's YAML keys (`evo_search_outer.*`,
/// `evo_search_inner.*`) with the original's AV-MNIST defaults, plus hnas's additions
/// (`--evolve-macro`, `--max-latency`, `--max-energy`).
///
/// Derived sizes follow the original: `n_in = ceil(P · r_in)` backbones per modality survive the inner
/// selection and are fused; `n_out = ceil(n_in · r_out)` multimodal elites parent the next population.
public struct SearchSettings: Equatable, Codable, Sendable {
    /// `evo_search_outer.parent_popu_size` (P): candidates per generation.
    public var parentPopulationSize = 8
    /// `evo_search_outer.survival_ratio` (r_out): fraction of the fused candidates kept as parents.
    public var outerSurvivalRatio = 0.5
    /// `evo_search_outer.mutate_size`: mutation children per generation (before the pitfall-1 fix).
    public var mutateSize = 4
    /// `evo_search_outer.crossover_size`: crossover children per generation (before the pitfall-1 fix).
    public var crossoverSize = 4
    /// `evo_search_outer.mutate_prob`: per-gene mutation probability.
    public var mutateProbability = 0.4
    /// `evo_search_outer.crossover_prob`: per-gene probability of taking the first parent's gene.
    public var crossoverProbability = 0.8
    /// `evo_search_outer.evo_iter`: number of generations.
    public var generations = 30
    /// `evo_search_inner.survival_ratio` (r_in): fraction of each modality's backbones that are fused.
    public var innerSurvivalRatio = 0.25
    /// How fusion macro-architectures are drawn (dataset-specific; fusion spec §8.2).
    public var macroSpace = MacroSpace.avmnist
    /// `--evolve-macro`: cells and nodes become inherited genes, crossed and mutated like backbone
    /// genes, instead of being redrawn for every fused candidate.
    public var evolveMacro = false
    /// `--max-latency` (ms): multimodal candidates above it are infeasible (NSGA-II constraint domination);
    /// in the inner selection, so are backbones whose own latency is above it.
    public var maxLatencyMs: Double?
    /// `--max-energy` (mJ): as `maxLatencyMs`, for energy.
    public var maxEnergyMJ: Double?

    /// Upper limits checked by `validate` (README "Input limits"): every generation evaluates P
    /// candidates, and the archive keeps them all.
    public static let maximumPopulation = 1_000
    public static let maximumGenerations = 10_000

    public init() {}

    /// `n_in = ceil(P · r_in)`: backbones kept per modality, i.e. fusion searches per generation.
    public var innerSurvivors: Int { Int((Double(parentPopulationSize) * innerSurvivalRatio).rounded(.up)) }
    /// `n_out = ceil(n_in · r_out)`: multimodal elites that parent the next generation.
    public var outerSurvivors: Int { Int((Double(innerSurvivors) * outerSurvivalRatio).rounded(.up)) }

    /// The numbers of crossover and mutation children actually made per generation.
    ///
    /// Pitfall 1 of the backbone spec: the original asserts `crossover_size + mutate_size == P`, which
    /// its own AV-MNIST config (64 + 64 vs P = 8) violates, so its search dies after generation 0.
    /// hnas always makes exactly P children: when the sizes do not add up to P it keeps their ratio,
    /// `crossover = round(P · c / (c + m))`, `mutation = P − crossover` (64 + 64 with P = 8 → 4 + 4).
    public var offspringCounts: (crossover: Int, mutation: Int) {
        let total = crossoverSize + mutateSize
        guard total != parentPopulationSize, total > 0 else { return (crossoverSize, mutateSize) }
        let crossover = Int((Double(parentPopulationSize * crossoverSize) / Double(total)).rounded())
        return (crossover, parentPopulationSize - crossover)
    }

    /// Checks ranges and consistency.
    /// - Throws: `HNASError` naming the YAML key (or flag) and the allowed range.
    public func validate() throws {
        func check(_ ok: Bool, _ key: String, _ why: String) throws {
            if !ok { throw HNASError.argument(key, why: why) }
        }
        try check((1...Self.maximumPopulation).contains(parentPopulationSize), "evo_search_outer.parent_popu_size",
                  "must be between 1 and \(Self.maximumPopulation), got \(parentPopulationSize)")
        try check(outerSurvivalRatio > 0 && outerSurvivalRatio <= 1, "evo_search_outer.survival_ratio",
                  "must be in (0, 1], got \(outerSurvivalRatio)")
        try check(innerSurvivalRatio > 0 && innerSurvivalRatio <= 1, "evo_search_inner.survival_ratio",
                  "must be in (0, 1], got \(innerSurvivalRatio)")
        try check((0...Self.maximumPopulation).contains(mutateSize), "evo_search_outer.mutate_size",
                  "must be between 0 and \(Self.maximumPopulation), got \(mutateSize)")
        try check((0...Self.maximumPopulation).contains(crossoverSize), "evo_search_outer.crossover_size",
                  "must be between 0 and \(Self.maximumPopulation), got \(crossoverSize)")
        try check(mutateSize + crossoverSize > 0, "evo_search_outer.mutate_size",
                  "mutate_size + crossover_size must be positive to make offspring")
        try check((0...1).contains(mutateProbability), "evo_search_outer.mutate_prob", "must be in [0, 1], got \(mutateProbability)")
        try check((0...1).contains(crossoverProbability), "evo_search_outer.crossover_prob",
                  "must be in [0, 1], got \(crossoverProbability)")
        try check((0...Self.maximumGenerations).contains(generations), "evo_search_outer.evo_iter",
                  "must be between 0 and \(Self.maximumGenerations), got \(generations)")
        try check((0...1).contains(macroSpace.replaceProbability), "macro replace probability",
                  "must be in [0, 1], got \(macroSpace.replaceProbability)")
        try check(!macroSpace.allowedCells.contains { $0 < 1 } && !macroSpace.allowedNodes.contains { $0 < 1 },
                  "fusion macro space", "cells and nodes must be at least 1")
        if let limit = maxLatencyMs { try check(limit > 0 && limit.isFinite, "--max-latency", "must be a positive finite number, got \(limit)") }
        if let limit = maxEnergyMJ { try check(limit > 0 && limit.isFinite, "--max-energy", "must be a positive finite number, got \(limit)") }
    }

    /// Overrides settings from a parsed search config (the original's YAML as nested dictionaries, e.g.
    /// from Yams): `evo_search_outer.{parent_popu_size, survival_ratio, mutate_size, crossover_size,
    /// mutate_prob, crossover_prob, evo_iter}` and `evo_search_inner.survival_ratio`. Other keys are ignored
    /// (the original's configs carry many unused ones).
    /// - Throws: `HNASError` naming the key when a value is not a number (or not an integer where one is needed).
    public mutating func apply(configuration: [String: Any]) throws {
        if let outer = try section("evo_search_outer", in: configuration) {
            try assignInt(&parentPopulationSize, outer, "evo_search_outer", "parent_popu_size")
            try assignDouble(&outerSurvivalRatio, outer, "evo_search_outer", "survival_ratio")
            try assignInt(&mutateSize, outer, "evo_search_outer", "mutate_size")
            try assignInt(&crossoverSize, outer, "evo_search_outer", "crossover_size")
            try assignDouble(&mutateProbability, outer, "evo_search_outer", "mutate_prob")
            try assignDouble(&crossoverProbability, outer, "evo_search_outer", "crossover_prob")
            try assignInt(&generations, outer, "evo_search_outer", "evo_iter")
        }
        if let inner = try section("evo_search_inner", in: configuration) {
            try assignDouble(&innerSurvivalRatio, inner, "evo_search_inner", "survival_ratio")
        }
    }

    private func section(_ name: String, in configuration: [String: Any]) throws -> [String: Any]? {
        guard let value = configuration[name] else { return nil }
        guard let dictionary = value as? [String: Any] else {
            throw HNASError.argument(name, why: "must be a mapping of keys to values, got '\(value)'")
        }
        return dictionary
    }

    private func number(_ value: Any, _ key: String) throws -> Double {
        switch value {
        case let x as Int: return Double(x)
        case let x as Double: return x
        case let x as Float: return Double(x)
        case let x as String:
            if let parsed = Double(x.trimmingCharacters(in: .whitespaces)), parsed.isFinite { return parsed }
        default: break
        }
        throw HNASError.argument(key, why: "'\(value)' is not a number")
    }

    private func assignDouble(_ target: inout Double, _ section: [String: Any], _ prefix: String, _ key: String) throws {
        guard let value = section[key] else { return }
        let x = try number(value, "\(prefix).\(key)")
        guard x.isFinite else { throw HNASError.argument("\(prefix).\(key)", why: "'\(value)' is not finite") }
        target = x
    }

    private func assignInt(_ target: inout Int, _ section: [String: Any], _ prefix: String, _ key: String) throws {
        guard let value = section[key] else { return }
        let x = try number(value, "\(prefix).\(key)")
        guard x.isFinite, x == x.rounded(), abs(x) < 1e15 else {
            throw HNASError.argument("\(prefix).\(key)", why: "'\(value)' is not an integer")
        }
        target = Int(x)
    }
}

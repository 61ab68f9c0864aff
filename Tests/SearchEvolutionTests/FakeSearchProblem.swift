import Foundation
import HNASKit
import SearchEvolution

/// An OFA-shaped backbone (4 kernel genes, 4 expand genes, 1 depth gene) with no network behind it.
struct FakeBackbone: Backbone {
    let name = "fake-ofa"
    let geneOrder = ["ks", "e", "d"]
    let searchSpace: [String: [[Int]]] = [
        "ks": Array(repeating: [3, 5, 7], count: 4),
        "e": Array(repeating: [3, 4, 6], count: 4),
        "d": [[2, 3, 4]],
    ]

    func layerDescriptors(_ config: BackboneConfig) throws -> [LayerDescriptor] { [] }
}

/// An analytic search problem with a known Pareto front.
///
/// A backbone's "size" s ∈ [0, 1] (the mean position of its kernel genes) buys accuracy and costs
/// latency/energy; its "waste" w ∈ [0, 1] (the mean position of its expand and depth genes) only costs.
/// Multimodal accuracy is a concave function of the mean size plus a bonus for more fusion operators,
/// which cost too. So the Pareto-optimal candidates are exactly those with zero waste everywhere, and
/// their hypervolume can be enumerated.
struct FakeEvaluator: SearchEvaluator {
    let backbones: [any Backbone]

    init(modalities: Int) {
        backbones = Array(repeating: FakeBackbone(), count: modalities)
    }

    static func position(_ value: Int, in allowed: [Int]) -> Double { Double(allowed.firstIndex(of: value)!) / Double(allowed.count - 1) }

    static func size(_ config: BackboneConfig) -> Double {
        config["ks"]!.map { position($0, in: [3, 5, 7]) }.reduce(0, +) / 4
    }

    static func waste(_ config: BackboneConfig) -> Double {
        (config["e"]!.map { position($0, in: [3, 4, 6]) }.reduce(0, +) + position(config["d"]![0], in: [2, 3, 4])) / 5
    }

    static func backboneCost(size s: Double, waste w: Double) -> Cost {
        Cost(latencyMs: 1 + 4 * s + 3 * w, energyMJ: 2 + 3 * s + 2 * w)
    }

    static func fusion(meanSize s: Double, macro: FusionMacro) -> FusionEvaluation {
        let operators = Double(macro.cells * macro.nodes)
        return FusionEvaluation(accuracy: 100 - 60 * exp(-2.5 * s) - 8 / operators,
                                fusionCost: Cost(latencyMs: 0.1 * operators, energyMJ: 0.05 * operators),
                                genotype: "fake(\(macro.cells)x\(macro.nodes))")
    }

    func evaluateBackbone(_ config: BackboneConfig, modality: Int, seed: UInt64) throws -> BackboneEvaluation {
        let s = Self.size(config)
        return BackboneEvaluation(accuracy: 50 + 40 * s, cost: Self.backboneCost(size: s, waste: Self.waste(config)))
    }

    func evaluateFusion(_ configs: [BackboneConfig], macro: FusionMacro, seed: UInt64) throws -> FusionEvaluation {
        Self.fusion(meanSize: configs.map(Self.size).reduce(0, +) / Double(configs.count), macro: macro)
    }

    /// The hypervolume reference used by the tests: worse than every reachable candidate.
    static func reference(modalities: Int) -> [Double] {
        [100, 8.2 * Double(modalities) + 2.6, 7.2 * Double(modalities) + 1.4]
    }

    /// Objective rows `[100 − acc, latency, energy]` of every zero-waste candidate: the true front lies among them.
    static func optimalCandidates(modalities: Int, space: MacroSpace) throws -> ObjectiveMatrix {
        let sizes = (0...8).map { Double($0) / 8 }
        var combos: [[Double]] = [[]]
        for _ in 0..<modalities { combos = combos.flatMap { c in sizes.map { c + [$0] } } }
        var rows: [[Double]] = []
        for combo in combos {
            for cells in space.allowedCells {
                for nodes in space.allowedNodes {
                    let fusion = fusion(meanSize: combo.reduce(0, +) / Double(modalities), macro: FusionMacro(cells: cells, nodes: nodes))
                    let cost = combo.reduce(fusion.fusionCost) { $0 + backboneCost(size: $1, waste: 0) }
                    rows.append([100 - fusion.accuracy, cost.latencyMs, cost.energyMJ!])
                }
            }
        }
        return try ObjectiveMatrix(rows: rows)
    }
}

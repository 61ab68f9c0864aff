import HNASKit

/// Turns architecture weights into a genotype exactly as the original does (SPEC-fusion §6.2–6.3).
///
/// - Outer edges: for cell i, among pairs `j < k` of **input nodes** (never earlier cells) with at
///   least one of them not yet used, the pair with the largest `W[j, skip]·W[k, skip]` (the
///   earliest pair on ties). When no admissible pair exists the original crashes; here the best
///   pair without the "unused" rule is taken and a note says so (§10.2).
/// - Inner edges: for inner step t the two inner states with the largest skip weight, in that
///   sorted order (stable, lower index first on ties); the operator is the first argmax.
struct GenotypeDerivation {
    /// What was derived and any fallback that was needed.
    struct Outcome {
        var genotype: FusionGenotype
        var notes: [String]
    }

    let inputNodes: Int
    let multiplier: Int

    /// - Parameters:
    ///   - edgeSkip: `softmax(alpha_edges)[:, skip]`, `K_e` values.
    ///   - cells: per cell `softmax(betas)[:, skip]` (`K_b` values) and `softmax(gammas)` (`[T·6]`, row-major).
    func derive(edgeSkip: [Float], cells: [(betaSkip: [Float], gammas: [Float])]) throws -> Outcome {
        let n = inputNodes, s = cells.count
        guard n >= 2 else {
            throw HNASError.argument("fusion input nodes", why: "\(n) input node(s): a cell needs a pair of input nodes")
        }
        guard edgeSkip.count == SearchNetwork.edgeRows(inputs: n, steps: s) else {
            throw HNASError.op("GenotypeDerivation", why: "\(edgeSkip.count) edge weights for \(n) inputs and \(s) cells")
        }
        var used = Set<Int>(), edges: [FusionGenotype.Edge] = [], notes: [String] = []
        for i in 0..<s {
            let row = SearchNetwork.edgeRow(cell: i, inputs: n)
            var best: (score: Float, j: Int, k: Int)?, bestAny: (score: Float, j: Int, k: Int)?
            for j in 0..<n {
                for k in (j + 1)..<n {
                    let score = edgeSkip[row + j] * edgeSkip[row + k]
                    if bestAny == nil || score > bestAny!.score { bestAny = (score, j, k) }
                    if !(used.contains(j) && used.contains(k)), best == nil || score > best!.score { best = (score, j, k) }
                }
            }
            let chosen: (score: Float, j: Int, k: Int)
            if let best {
                chosen = best
            } else {
                chosen = bestAny!
                notes.append("cell \(i): every pair of the \(n) input nodes is already used; took the best pair (\(chosen.j), \(chosen.k)) without the 'unused' rule (the original crashes here)")
            }
            edges += [.init("skip", chosen.j), .init("skip", chosen.k)]
            used.formUnion([chosen.j, chosen.k])
        }
        let steps = try cells.enumerated().map { i, cell in try deriveStep(cell.betaSkip, cell.gammas, cell: i) }
        let genotype = FusionGenotype(edges: edges, steps: steps, concat: Array((n + s - multiplier)..<(n + s)))
        return Outcome(genotype: genotype, notes: notes)
    }

    private func deriveStep(_ betaSkip: [Float], _ gammas: [Float], cell: Int) throws -> FusionGenotype.Step {
        let ops = FusionOperators.searched.count
        guard gammas.count % ops == 0, gammas.count > 0 else {
            throw HNASError.op("GenotypeDerivation", why: "cell \(cell): \(gammas.count) operator weights are not T·\(ops)")
        }
        let t = gammas.count / ops
        guard betaSkip.count == SearchCell.innerEdgeRows(t) else {
            throw HNASError.op("GenotypeDerivation", why: "cell \(cell): \(betaSkip.count) inner-edge weights for \(t) inner steps")
        }
        var edges: [FusionGenotype.Edge] = [], names: [String] = []
        for step in 0..<t {
            let row = SearchCell.innerEdgeRow(step)
            let ranked = (0..<(step + 2)).sorted { a, b in
                betaSkip[row + a] != betaSkip[row + b] ? betaSkip[row + a] > betaSkip[row + b] : a < b
            }
            edges += ranked.prefix(2).map { .init("skip", $0) }
            names.append(FusionOperators.searched[FusionTask.firstArgmax(gammas[(step * ops)..<((step + 1) * ops)])])
        }
        return FusionGenotype.Step(innerEdges: edges, innerSteps: names, innerConcat: [t + 1])
    }
}

extension SearchNetwork {
    /// The genotype of the current architecture parameters.
    func deriveGenotype() throws -> GenotypeDerivation.Outcome {
        try Autograd.withoutGrad {
            let edgeSkip = try alphaEdges.value.softmax(axis: -1).slice(axis: 1, 1..<2).scalars
            let cellWeights = try cells.map { cell in
                (betaSkip: try cell.betas.value.softmax(axis: -1).slice(axis: 1, 1..<2).scalars,
                 gammas: try cell.gammas.value.softmax(axis: -1).scalars)
            }
            return try GenotypeDerivation(inputNodes: shape.inputNodes, multiplier: shape.multiplier)
                .derive(edgeSkip: edgeSkip, cells: cellWeights)
        }
    }
}

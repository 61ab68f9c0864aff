import HNASKit

/// A genotype drawn uniformly from the derivable ones (the `random` fusion search): per cell a
/// pair of input nodes with at least one not used before (any pair once all are used), per inner
/// step two distinct earlier inner states in random order and a random searched operator.
enum RandomGenotype {
    static func sample(inputNodes n: Int, steps: Int, nodeSteps: Int, multiplier: Int,
                       generator: inout SeededGenerator) throws -> FusionGenotype {
        guard n >= 2 else {
            throw HNASError.argument("fusion input nodes", why: "\(n) input node(s): a cell needs a pair of input nodes")
        }
        var used = Set<Int>(), edges: [FusionGenotype.Edge] = [], cells: [FusionGenotype.Step] = []
        for _ in 0..<steps {
            let all = (0..<n).flatMap { j in ((j + 1)..<n).map { (j, $0) } }
            let admissible = all.filter { !(used.contains($0.0) && used.contains($0.1)) }
            let (j, k) = generator.choice(admissible.isEmpty ? all : admissible)
            edges += [.init("skip", j), .init("skip", k)]
            used.formUnion([j, k])
            var innerEdges: [FusionGenotype.Edge] = [], ops: [String] = []
            for t in 0..<nodeSteps {
                var candidates = Array(0..<(t + 2))
                generator.shuffle(&candidates)
                innerEdges += candidates.prefix(2).map { .init("skip", $0) }
                ops.append(generator.choice(FusionOperators.searched))
            }
            cells.append(.init(innerEdges: innerEdges, innerSteps: ops, innerConcat: [nodeSteps + 1]))
        }
        return FusionGenotype(edges: edges, steps: cells, concat: Array((n + steps - multiplier)..<(n + steps)))
    }
}

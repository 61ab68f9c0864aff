/// How the outer search draws a fusion macro-architecture (fusion spec §8.2): each of `cells` and `nodes`
/// keeps its default, or with probability `replaceProbability` is replaced by a uniform choice among its
/// candidates. Draw order per candidate: cells first, then nodes.
public struct MacroSpace: Equatable, Codable, Sendable {
    /// Fusion cells when the default is kept (the original's `steps`).
    public var defaultCells: Int
    /// The cell counts a replacement draws from.
    public var cellCandidates: [Int]
    /// Operators per cell when the default is kept (the original's `node_steps`).
    public var defaultNodes: Int
    /// The operator counts a replacement draws from.
    public var nodeCandidates: [Int]
    /// The probability of replacing a default by a candidate (0.4 in the original).
    public var replaceProbability: Double

    public init(defaultCells: Int, cellCandidates: [Int], defaultNodes: Int, nodeCandidates: [Int],
                replaceProbability: Double = 0.4) {
        self.defaultCells = defaultCells
        self.cellCandidates = cellCandidates
        self.defaultNodes = defaultNodes
        self.nodeCandidates = nodeCandidates
        self.replaceProbability = replaceProbability
    }

    /// The original's AV-MNIST and MM-IMDB drivers: cells 2 or {1,3,4}, nodes 1 or {2,3,4}.
    public static let avmnist = MacroSpace(defaultCells: 2, cellCandidates: [1, 3, 4], defaultNodes: 1, nodeCandidates: [2, 3, 4])
    /// MM-IMDB uses the AV-MNIST rule.
    public static let mmimdb = avmnist
    /// The original's Memes driver: cells and nodes 2 or {1,3,4,5}.
    public static let memes = MacroSpace(defaultCells: 2, cellCandidates: [1, 3, 4, 5], defaultNodes: 2, nodeCandidates: [1, 3, 4, 5])

    /// Every value `cells` may take (the default and the candidates), ascending.
    public var allowedCells: [Int] { Array(Set([defaultCells] + cellCandidates)).sorted() }
    /// Every value `nodes` may take (the default and the candidates), ascending.
    public var allowedNodes: [Int] { Array(Set([defaultNodes] + nodeCandidates)).sorted() }

    /// Draws a macro-architecture with the original's rule.
    public func sample(using rng: inout SeededGenerator) -> FusionMacro {
        var cells = defaultCells
        if rng.uniform() < replaceProbability, !cellCandidates.isEmpty { cells = rng.choice(cellCandidates) }
        var nodes = defaultNodes
        if rng.uniform() < replaceProbability, !nodeCandidates.isEmpty { nodes = rng.choice(nodeCandidates) }
        return FusionMacro(cells: cells, nodes: nodes)
    }

    /// `--evolve-macro` mutation, the backbone rule applied to the two macro genes: each gene, with
    /// probability `probability`, takes a different allowed value chosen uniformly.
    public func mutate(_ macro: FusionMacro, probability: Double, using rng: inout SeededGenerator) -> FusionMacro {
        func mutateGene(_ value: Int, _ allowed: [Int]) -> Int {
            guard rng.uniform() < probability else { return value }
            let others = allowed.filter { $0 != value }
            return others.isEmpty ? value : rng.choice(others)
        }
        let cells = mutateGene(macro.cells, allowedCells)
        let nodes = mutateGene(macro.nodes, allowedNodes)
        return FusionMacro(cells: cells, nodes: nodes)
    }

    /// `--evolve-macro` crossover, the backbone rule applied to the two macro genes: each gene is
    /// `first`'s when a uniform draw is below `probability`, else `second`'s.
    public func crossover(_ first: FusionMacro, _ second: FusionMacro, probability: Double,
                          using rng: inout SeededGenerator) -> FusionMacro {
        let cells = rng.uniform() < probability ? first.cells : second.cells
        let nodes = rng.uniform() < probability ? first.nodes : second.nodes
        return FusionMacro(cells: cells, nodes: nodes)
    }
}

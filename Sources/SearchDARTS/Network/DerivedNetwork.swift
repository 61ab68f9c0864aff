import HNASKit

/// The discrete fusion network a genotype describes (SPEC-fusion §6.5), retrained from scratch:
/// projection layers, one `DerivedCell` per genotype step fed by the two states its edges name,
/// and the classifier head over the states listed in `concat`.
final class DerivedNetwork: FusionNetwork {
    let genotype: FusionGenotype
    let inputNodes: Int
    let reshapes: [ReshapeLayer]
    let cells: [DerivedCell]
    let head: ClassifierHead
    var isTraining = true

    /// - Throws: `HNASError` naming the genotype field when it does not fit the input nodes
    ///   (edge counts, state indices that do not exist yet, unknown operators, bad `concat`).
    init(genotype: FusionGenotype, shape: FusionShape, generator: inout SeededGenerator) throws {
        var checked = shape
        checked.steps = max(genotype.steps.count, 1)
        checked.multiplier = max(genotype.concat.count, 1)
        try checked.validate()
        let n = shape.inputNodes
        guard !genotype.steps.isEmpty, genotype.edges.count == 2 * genotype.steps.count else {
            throw HNASError.argument("genotype.edges", why: "\(genotype.edges.count) edges for \(genotype.steps.count) cells (two per cell, at least one cell)")
        }
        for (k, edge) in genotype.edges.enumerated() {
            guard edge.op == "skip" else { throw HNASError.argument("genotype.edges[\(k)]", why: "edge op '\(edge.op)' is not 'skip'") }
            guard (0..<(n + k / 2)).contains(edge.input) else {
                throw HNASError.argument("genotype.edges[\(k)]", why: "state \(edge.input) does not exist before cell \(k / 2) (0..<\(n + k / 2) with \(n) input nodes)")
            }
        }
        let states = n + genotype.steps.count
        guard !genotype.concat.isEmpty, genotype.concat.allSatisfy({ (0..<states).contains($0) }) else {
            throw HNASError.argument("genotype.concat", why: "\(genotype.concat) must name states in 0..<\(states)")
        }
        self.genotype = genotype
        inputNodes = n
        reshapes = shape.makeReshapeLayers(generator: &generator)
        var cells: [DerivedCell] = []
        for (i, step) in genotype.steps.enumerated() {
            cells.append(try DerivedCell(step: step, cell: i, channels: shape.channels, length: shape.length,
                                         dropout: shape.dropout, generator: &generator))
        }
        self.cells = cells
        head = ClassifierHead(states: genotype.concat.count, channels: shape.channels, length: shape.length,
                              outputs: shape.outputs, generator: &generator)
    }

    var children: [(String, Module)] {
        reshapes.enumerated().map { ("reshape_layers.\($0)", $1 as Module) }
            + cells.enumerated().map { ("fusion_net.cells.\($0)", $1 as Module) }
            + [("head", head)]
    }

    func callAsFunction(_ inputs: [Tensor]) throws -> Tensor {
        guard inputs.count == inputNodes else {
            throw HNASError.op("DerivedNetwork", why: "\(inputs.count) inputs for \(inputNodes) input nodes")
        }
        var states = try zip(reshapes, inputs).map { try $0($1) }
        for (i, cell) in cells.enumerated() {
            states.append(try cell(states[genotype.edges[2 * i].input], states[genotype.edges[2 * i + 1].input]))
        }
        return try head(genotype.concat.map { states[$0] })
    }
}

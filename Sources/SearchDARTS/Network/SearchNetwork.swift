import HNASKit

/// The searchable fusion supernet (SPEC-fusion §2, §4): projection layers, `S` search cells fed
/// by mixed edges from every earlier state, and the classifier head.
///
/// The architecture parameters (`alpha_edges`, then per cell `betas`, `gammas`, drawn as
/// `1e-3·N(0,1)`) are `Parameter`s kept **out of** `parameters` (the weight optimiser's list) and
/// listed in `architectureParameters`, so the two optimisers of the bi-level search own
/// disjoint sets.
///
/// Cell i receives `u_i = Σ_{j < N+i} softmax(α)[row(i, j), skip]·h_j` with
/// `row(i, j) = i·N + i(i−1)/2 + j` and, as the original does, is called with `u_i` twice
/// (SPEC-fusion §10.1). The 'none' candidate of every mixed edge contributes exactly 0 (the
/// original computes it as `0·h`, which differs only when `h` already holds NaN/Inf, §10.22).
final class SearchNetwork: FusionNetwork {
    let shape: FusionShape
    let reshapes: [ReshapeLayer]
    let cells: [SearchCell]
    let head: ClassifierHead
    /// `[K_e, 2]` outer-edge logits over ('none', 'skip'), `K_e = S·N + S(S−1)/2`.
    let alphaEdges: Parameter
    var isTraining = true

    init(shape: FusionShape, generator: inout SeededGenerator) throws {
        try shape.validate()
        self.shape = shape
        reshapes = shape.makeReshapeLayers(generator: &generator)
        var cells: [SearchCell] = []
        for _ in 0..<shape.steps {
            cells.append(try SearchCell(nodeSteps: shape.nodeSteps, channels: shape.channels, length: shape.length,
                                        dropout: shape.dropout, generator: &generator))
        }
        self.cells = cells
        head = ClassifierHead(states: shape.multiplier, channels: shape.channels, length: shape.length,
                              outputs: shape.outputs, generator: &generator)
        alphaEdges = Parameter(WeightInit.normal([SearchNetwork.edgeRows(inputs: shape.inputNodes, steps: shape.steps), 2],
                                                 std: 1e-3, generator: &generator), name: "alpha_edges")
    }

    /// `K_e = Σ_{i<S} (N + i)`.
    static func edgeRows(inputs: Int, steps: Int) -> Int { steps * inputs + steps * (steps - 1) / 2 }

    /// The first row of `alpha_edges` for cell i.
    static func edgeRow(cell i: Int, inputs: Int) -> Int { i * inputs + i * (i - 1) / 2 }

    var children: [(String, Module)] {
        reshapes.enumerated().map { ("reshape_layers.\($0)", $1 as Module) }
            + cells.enumerated().map { ("fusion_net.cells.\($0)", $1 as Module) }
            + [("head", head)]
    }

    /// `[alpha_edges, betas_0, gammas_0, betas_1, gammas_1, …]` (the original's order).
    var architectureParameters: [Parameter] { namedArchitectureParameters.map(\.1) }

    /// The architecture parameters under names in the state dict's scheme (`alpha_edges`,
    /// `fusion_net.cells.<i>.betas`, `fusion_net.cells.<i>.gammas`), in the original's order.
    var namedArchitectureParameters: [(String, Parameter)] {
        [("alpha_edges", alphaEdges)] + cells.enumerated().flatMap { i, cell in
            [("fusion_net.cells.\(i).betas", cell.betas), ("fusion_net.cells.\(i).gammas", cell.gammas)]
        }
    }

    func callAsFunction(_ inputs: [Tensor]) throws -> Tensor {
        guard inputs.count == shape.inputNodes else {
            throw HNASError.op("SearchNetwork", why: "\(inputs.count) inputs for \(shape.inputNodes) input nodes")
        }
        var states = try zip(reshapes, inputs).map { try $0($1) }
        let skip = try alphaEdges.value.softmax(axis: -1).slice(axis: 1, 1..<2)
        if Autograd.isRecording {
            for (i, cell) in cells.enumerated() {
                let row = SearchNetwork.edgeRow(cell: i, inputs: shape.inputNodes)
                let u = try Tensor.weightedSum(states, weights: skip.slice(axis: 0, row..<(row + states.count)))
                states.append(try cell(u, u))
            }
        } else {
            try mixWithoutGradients(&states, skip: skip.scalars)
        }
        return try head(Array(states.suffix(shape.multiplier)))
    }

    /// The cells' loop without gradients: every cell's mixture of the N input nodes in one pass over
    /// them (`linearCombinations`), then the earlier cells' outputs added as each cell comes up — the
    /// same sums in the same order as the recorded loop, without reading the input nodes once per cell.
    private func mixWithoutGradients(_ states: inout [Tensor], skip: [Float]) throws {
        let n = shape.inputNodes
        var mixed = try Tensor.linearCombinations(states, weights: cells.indices.map { i in
            let row = SearchNetwork.edgeRow(cell: i, inputs: n)
            return Array(skip[row..<(row + n)])
        })
        for (i, cell) in cells.enumerated() {
            let row = SearchNetwork.edgeRow(cell: i, inputs: n)
            var u = mixed[i]
            mixed[i] = Tensor(zeros: [])  // drop the array's reference, so `u` is updated in place
            try u.addLinearCombination(Array(states[n...]), weights: Array(skip[(row + n)..<(row + n + i)]))
            states.append(try cell(u, u))
        }
    }
}

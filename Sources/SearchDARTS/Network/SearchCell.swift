import HNASKit

/// One searchable fusion cell (the original's `FusionNode` + `NodeCell`, SPEC-fusion §2.2):
/// `T` inner steps, each mixing the earlier inner states through `betas` (edges 'none'/'skip')
/// and applying all six node operators mixed by `gammas`; the cell output is
/// `LayerNorm_{[C,L]}(o_{T−1} + x)`. Only `node_multiplier = 1` is supported (the value of every
/// configuration of the original).
final class SearchCell: Module {
    let nodeSteps: Int
    /// `ops[t][p]`: operator p of `FusionOperators.searched` for inner step t.
    let ops: [[any FusionOperator]]
    let norm: LayerNorm
    /// `[Σ_t (2 + t), 2]` inner-edge logits over ('none', 'skip').
    let betas: Parameter
    /// `[T, 6]` operator logits.
    let gammas: Parameter
    var isTraining = true

    init(nodeSteps: Int, channels: Int, length: Int, dropout: Float, generator: inout SeededGenerator) throws {
        self.nodeSteps = nodeSteps
        var ops: [[any FusionOperator]] = []
        for _ in 0..<nodeSteps {
            ops.append(try FusionOperators.searched.map {
                try FusionOperators.make($0, channels: channels, length: length, dropout: dropout, generator: &generator)
            })
        }
        self.ops = ops
        norm = LayerNorm(normalizedShape: [channels, length])
        betas = Parameter(WeightInit.normal([SearchCell.innerEdgeRows(nodeSteps), 2], std: 1e-3, generator: &generator), name: "betas")
        gammas = Parameter(WeightInit.normal([nodeSteps, FusionOperators.searched.count], std: 1e-3, generator: &generator), name: "gammas")
    }

    /// `K_b = Σ_{t<T} (2 + t)`: the rows of `betas`.
    static func innerEdgeRows(_ nodeSteps: Int) -> Int { 2 * nodeSteps + nodeSteps * (nodeSteps - 1) / 2 }

    /// The first row of `betas` for inner step t: `2t + t(t−1)/2`.
    static func innerEdgeRow(_ t: Int) -> Int { 2 * t + t * (t - 1) / 2 }

    var children: [(String, Module)] {
        ops.enumerated().flatMap { t, step in
            zip(FusionOperators.searched, step).map { ("node_ops.\(t).\($0)", $1 as Module) }
        } + [("ln", norm)]
    }

    func callAsFunction(_ x: Tensor, _ y: Tensor) throws -> Tensor {
        let skip = try betas.value.softmax(axis: -1).slice(axis: 1, 1..<2)
        let opWeights = try gammas.value.softmax(axis: -1)
        var inner = [x, y]
        for t in 0..<nodeSteps {
            let row = SearchCell.innerEdgeRow(t)
            let v = try Tensor.weightedSum(inner, weights: skip.slice(axis: 0, row..<(row + t + 2)))
            let outputs = try ops[t].map { try $0(v, v) }
            inner.append(try Tensor.weightedSum(outputs, weights: opWeights.slice(axis: 0, t..<(t + 1))))
        }
        return try norm(inner[inner.count - 1], adding: x)
    }
}

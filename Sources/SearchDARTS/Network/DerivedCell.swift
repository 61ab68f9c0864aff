import HNASKit

/// One fusion cell of a derived network (SPEC-fusion §6.5): inner states `[a, b]`; inner step t
/// applies its single operator to the two inner states its genotype edges name,
/// `o_t = Op_t(inner[e_2t], inner[e_2t+1])`; the output is `LayerNorm_{[C,L]}(o_{T−1} + a)`.
final class DerivedCell: Module {
    let step: FusionGenotype.Step
    let ops: [any FusionOperator]
    let norm: LayerNorm
    var isTraining = true

    /// - Throws: `HNASError` naming the field when the step has an unknown operator, a wrong edge
    ///   count, or an edge to an inner state that does not exist yet.
    init(step: FusionGenotype.Step, cell: Int, channels: Int, length: Int, dropout: Float,
         generator: inout SeededGenerator) throws {
        let field = "genotype.steps[\(cell)]"
        guard !step.innerSteps.isEmpty, step.innerEdges.count == 2 * step.innerSteps.count else {
            throw HNASError.argument("\(field).inner_edges",
                                     why: "\(step.innerEdges.count) edges for \(step.innerSteps.count) operators (two per operator, at least one operator)")
        }
        for (k, edge) in step.innerEdges.enumerated() {
            guard edge.op == "skip" else {
                throw HNASError.argument("\(field).inner_edges[\(k)]", why: "edge op '\(edge.op)' is not 'skip'")
            }
            guard (0..<(2 + k / 2)).contains(edge.input) else {
                throw HNASError.argument("\(field).inner_edges[\(k)]",
                                         why: "inner state \(edge.input) does not exist before inner step \(k / 2) (0..<\(2 + k / 2))")
            }
        }
        for (t, name) in step.innerSteps.enumerated() where !FusionOperators.searched.contains(name) {
            throw HNASError.argument("\(field).inner_steps[\(t)]",
                                     why: "'\(name)' is not in the allowed set \(FusionOperators.searched.joined(separator: ", "))")
        }
        self.step = step
        ops = try step.innerSteps.map {
            try FusionOperators.make($0, channels: channels, length: length, dropout: dropout, generator: &generator)
        }
        norm = LayerNorm(normalizedShape: [channels, length])
    }

    var children: [(String, Module)] {
        ops.enumerated().map { ("node_ops.\($0).\(step.innerSteps[$0])", $1 as Module) } + [("ln", norm)]
    }

    func callAsFunction(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        var inner = [a, b]
        for (t, op) in ops.enumerated() {
            inner.append(try op(inner[step.innerEdges[2 * t].input], inner[step.innerEdges[2 * t + 1].input]))
        }
        return try norm(inner[inner.count - 1], adding: a)
    }
}

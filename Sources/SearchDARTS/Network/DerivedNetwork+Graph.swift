import HNASKit

extension DerivedNetwork {
    /// Emits the evaluation-mode forward pass into `builder`. `features` are the backbone outputs
    /// feeding the input nodes, unpooled ([N, c], [N, c, t] or [N, c, h, w]): each is adaptive-max-pooled
    /// to `[N, c, L]` (`FeaturePooling`), projected (`ReshapeLayer`), then the cells and the head run
    /// as in `callAsFunction`. Returns the logits [N, outputs].
    /// - Throws: `HNASError` when the number or channels of `features` do not fit the network.
    func emitGraph(features: [GraphValue], length: Int, into builder: GraphBuilder, foldBatchNorm: Bool) throws -> GraphValue {
        guard features.count == inputNodes else {
            throw HNASError.op("DerivedNetwork", why: "\(features.count) graph inputs for \(inputNodes) input nodes")
        }
        var states: [GraphValue] = []
        for (k, feature) in features.enumerated() {
            states.append(try builder.scoped("reshape_layers.\(k)") {
                let pooled = try Self.pool(feature, length: length, into: builder)
                let projected = try reshapes[k].conv.emitGraph(pooled, batchNorm: reshapes[k].bn, into: builder, foldBatchNorm: foldBatchNorm)
                return try builder.activation(projected, .relu)
            })
        }
        for (i, cell) in cells.enumerated() {
            let (a, b) = (states[genotype.edges[2 * i].input], states[genotype.edges[2 * i + 1].input])
            states.append(try builder.scoped("fusion_net.cells.\(i)") {
                var inner = [a, b]
                for (t, op) in cell.ops.enumerated() {
                    let (u, v) = (inner[cell.step.innerEdges[2 * t].input], inner[cell.step.innerEdges[2 * t + 1].input])
                    inner.append(try builder.scoped("node_ops.\(t).\(cell.step.innerSteps[t])") {
                        try op.emitGraph(u, v, into: builder, foldBatchNorm: foldBatchNorm)
                    })
                }
                return try builder.scoped("ln") { try builder.layerNorm(try builder.apply("Add", [inner.last!, a]), cell.norm) }
            })
        }
        return try builder.scoped("head") {
            let joined = try builder.concat(genotype.concat.map { states[$0] }, axis: 1)
            let h = try builder.activation(try builder.scoped("ln") { try builder.layerNorm(joined, head.norm) }, .relu)
            return try builder.scoped("classifier") { try builder.linear(try builder.apply("Flatten", [h], ["axis": .int(1)]), head.classifier) }
        }
    }

    /// `FeaturePooling.pool` as graph operators: [N, c], [N, c, t] or [N, c, h, w] → [N, c, L].
    static func pool(_ feature: GraphValue, length: Int, into builder: GraphBuilder) throws -> GraphValue {
        let p = Int(Double(length).squareRoot().rounded())
        guard p * p == length else { throw HNASError.argument("length", why: "\(length) is not a perfect square") }
        let s = feature.shape
        guard (2...4).contains(s.count), s[0] == .batch, s.dropFirst().allSatisfy({ $0.size != nil }) else {
            throw HNASError.op("FeaturePooling", why: "feature \(s.text) is not [N, c], [N, c, t] or [N, c, h, w]")
        }
        let sizes = s.dropFirst().map { $0.size! }
        let planes = s.count == 4 ? feature : try builder.reshape(feature, [0] + sizes + Array(repeating: 1, count: 4 - s.count))
        return try builder.reshape(try builder.adaptiveMaxPool(planes, to: p), [0, sizes[0], length])
    }
}

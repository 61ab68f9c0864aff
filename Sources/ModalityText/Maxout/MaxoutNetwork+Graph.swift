import HNASKit

extension MaxoutBackboneNetwork: GraphEmittingBackbone {
    /// `[inputFeatures]`.
    public var graphInputShape: [Int] { [network.inputFeatures] }

    /// The logits and the maxout outputs `fusionFeatureIndices` names; `featureCount` must be their number.
    public func emitGraph(_ x: GraphValue, featureCount: Int, into builder: GraphBuilder,
                          foldBatchNorm: Bool) throws -> (logits: GraphValue, features: [GraphValue]) {
        guard featureCount == MaxoutNetwork.fusionFeatureIndices.count else {
            throw HNASError.argument("\(backbone.name) fusion features",
                                     why: "the Maxout network gives \(MaxoutNetwork.fusionFeatureIndices.count), not \(featureCount)")
        }
        let list = try network.emitGraph(x, into: builder)
        return (list.last!, MaxoutNetwork.fusionFeatureIndices.map { list[$0] })
    }
}

extension MaxoutNetwork {
    /// Emits the evaluation-mode forward pass on `x` ([N, inputFeatures]) into `builder` and returns
    /// the same list as `outputs(_:)`: every maxout output (before its BatchNorm), then the logits.
    /// Each maxout unit is `Gemm → Reshape [N, m, k] → ReduceMax`; BatchNorm1d stays a node (it
    /// precedes a linear layer, not a convolution); dropout is the identity.
    /// - Throws: `HNASError` when `x` is not [N, inputFeatures].
    public func emitGraph(_ x: GraphValue, into builder: GraphBuilder) throws -> [GraphValue] {
        guard x.shape == .batched([inputFeatures]) else {
            throw HNASError.op("MaxoutNetwork", why: "graph input \(x.shape.text) is not N×\(inputFeatures)")
        }
        var list: [GraphValue] = []
        var h = x
        for (i, layer) in opList.layers.enumerated() {
            h = try builder.scoped("op_list.\(i)") {
                if let unit = layer as? MaxoutUnit {
                    let y = try builder.scoped("lin") { try builder.linear(h, unit.lin) }
                    let pieces = try builder.reshape(y, [0, unit.units, unit.pieces])
                    let out = try builder.apply("ReduceMax", [pieces], ["axes": .ints([2]), "keepdims": .int(0)])
                    list.append(out)
                    return out
                }
                guard let block = layer as? Sequential, let bn = block.layers.first as? BatchNorm,
                      block.layers.dropFirst().allSatisfy({ $0 is Dropout }) else {
                    throw HNASError.op("MaxoutNetwork", why: "op_list.\(i) is neither a maxout unit nor BatchNorm + dropout")
                }
                return try builder.scoped("0") { try builder.batchNorm(h, bn) }
            }
        }
        list.append(try builder.scoped("hid2val") { try builder.linear(h, hid2val) })
        return list
    }
}

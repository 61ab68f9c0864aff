import HNASKit

// Each fusion operator's evaluation-mode forward pass as ONNX operators (dropout is the identity;
// BatchNorm is folded into the kernel-1 convolution before it unless `foldBatchNorm` is false).

extension SumOperator {
    func emitGraph(_ x: GraphValue, _ y: GraphValue, into builder: GraphBuilder, foldBatchNorm: Bool) throws -> GraphValue {
        try builder.apply("Add", [x, y])
    }
}

extension ScaleDotAttention {
    /// `LayerNorm(y · softmax(xᵀy/√C)ᵀ)` with `MatMul` over [N, C, L] and [N, L, L].
    func emitGraph(_ x: GraphValue, _ y: GraphValue, into builder: GraphBuilder, foldBatchNorm: Bool) throws -> GraphValue {
        let xt = try builder.apply("Transpose", [x], ["perm": .ints([0, 2, 1])])
        let scale = builder.constant(Tensor(scalar: 1 / Float(channels).squareRoot()), "scale")
        let scores = try builder.apply("Mul", [try builder.apply("MatMul", [xt, y]), scale])
        let attention = try builder.apply("Softmax", [scores], ["axis": .int(-1)])
        let out = try builder.apply("MatMul", [y, try builder.apply("Transpose", [attention], ["perm": .ints([0, 2, 1])])])
        return try builder.scoped("ln") { try builder.layerNorm(out, norm) }
    }
}

extension LinearGLU {
    /// `z = BN(Conv1d([x; y]))`, then `z[:, :C] · σ(z[:, C:])`.
    func emitGraph(_ x: GraphValue, _ y: GraphValue, into builder: GraphBuilder, foldBatchNorm: Bool) throws -> GraphValue {
        let z = try conv.emitGraph(try builder.concat([x, y], axis: 1), batchNorm: bn, into: builder, foldBatchNorm: foldBatchNorm)
        let c = conv.weight.shape[0] / 2
        let gate = try builder.apply("Sigmoid", [try builder.slice(z, axis: 1, c..<(2 * c))])
        return try builder.apply("Mul", [try builder.slice(z, axis: 1, 0..<c), gate])
    }
}

extension ConcatConv {
    /// `act(BN(Conv1d([x; y])))` (ReLU for ConcatFC, Mish for CatConvMish).
    func emitGraph(_ x: GraphValue, _ y: GraphValue, into builder: GraphBuilder, foldBatchNorm: Bool) throws -> GraphValue {
        let z = try conv.emitGraph(try builder.concat([x, y], axis: 1), batchNorm: bn, into: builder, foldBatchNorm: foldBatchNorm)
        return try builder.activation(z, activation)
    }
}

extension SqueezeExciteFusion {
    /// `other · σ(ReLU(Linear(mean_L(squeezed))))` broadcast over L.
    func emitGraph(_ x: GraphValue, _ y: GraphValue, into builder: GraphBuilder, foldBatchNorm: Bool) throws -> GraphValue {
        let (source, target) = squeezed == .first ? (x, y) : (y, x)
        let mean = try builder.apply("ReduceMean", [source], ["axes": .ints([2]), "keepdims": .int(0)])
        let gate = try builder.apply("Sigmoid", [try builder.activation(try builder.scoped("fc") { try builder.linear(mean, linear) }, .relu)])
        return try builder.apply("Mul", [target, try builder.reshape(gate, [0, linear.weight.shape[0], 1])])
    }
}

extension PointwiseConv {
    /// The kernel-1 `Conv` on [N, C, L], with `batchNorm` folded in or following.
    func emitGraph(_ x: GraphValue, batchNorm: BatchNorm?, into builder: GraphBuilder, foldBatchNorm: Bool) throws -> GraphValue {
        try builder.scoped("conv") {
            try builder.convolution(x, weight: weight.value, bias: bias.value, batchNorm: batchNorm, foldBatchNorm: foldBatchNorm)
        }
    }
}

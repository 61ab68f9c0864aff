import Foundation

/// The engine's layers and tensor operations as graph operators, each matching the engine's
/// evaluation-mode forward pass (dropout is the identity, BatchNorm uses its running statistics).
extension GraphBuilder {
    /// A convolution over the trailing 1 or 2 axes (`Tensor.conv2d`, or a kernel-1 `Conv1d` on [N, C, L]):
    /// `weight` [M, C/groups, k…], optional `bias` [M], equal padding on every side.
    /// With `batchNorm`, the layer's running statistics are folded into the weights when `foldBatchNorm`
    /// (`w·γ/√(σ²+ε)`, `(b − μ)·γ/√(σ²+ε) + β`), else a `BatchNormalization` node follows.
    public func convolution(_ x: GraphValue, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0,
                            groups: Int = 1, batchNorm: BatchNorm? = nil, foldBatchNorm: Bool = true) throws -> GraphValue {
        var (w, b) = (weight, bias)
        if let batchNorm, foldBatchNorm { (w, b) = try Self.fold(batchNorm, weight: w, bias: b) }
        let spatial = w.rank - 2
        var operands = [x, constant(w, "weight")]
        if let b { operands.append(constant(b, "bias")) }
        let y = try apply("Conv", operands, [
            "kernel_shape": .ints(Array(w.shape.dropFirst(2))), "strides": .ints(Array(repeating: stride, count: spatial)),
            "pads": .ints(Array(repeating: padding, count: 2 * spatial)), "group": .int(groups),
        ])
        guard let batchNorm, !foldBatchNorm else { return y }
        return try self.batchNorm(y, batchNorm)
    }

    /// `BatchNormalization` with the running statistics of `layer` (its first C entries for C channels).
    public func batchNorm(_ x: GraphValue, _ layer: BatchNorm) throws -> GraphValue {
        guard x.shape.count >= 2, let c = x.shape[1].size, c <= layer.features else {
            throw HNASError.op("BatchNorm", why: "graph input \(x.shape.text) does not have at most \(layer.features) channels on axis 1")
        }
        return try scoped("bn") {
            func first(_ t: Tensor) throws -> Tensor { try t.slice(axis: 0, 0..<c) }
            return try apply("BatchNormalization", [
                x, constant(try first(layer.weight.value), "weight"), constant(try first(layer.bias.value), "bias"),
                constant(try first(layer.runningMean.value), "running_mean"), constant(try first(layer.runningVar.value), "running_var"),
            ], ["epsilon": .float(layer.eps)])
        }
    }

    /// The convolution weights and bias with `layer`'s evaluation-mode BatchNorm folded in.
    static func fold(_ layer: BatchNorm, weight: Tensor, bias: Tensor?) throws -> (Tensor, Tensor) {
        let m = weight.shape[0]
        guard m <= layer.features else {
            throw HNASError.op("BatchNorm", why: "\(m) convolution outputs but only \(layer.features) BatchNorm features")
        }
        let gamma = layer.weight.value.scalars, beta = layer.bias.value.scalars
        let mean = layer.runningMean.value.scalars, variance = layer.runningVar.value.scalars
        let scale = (0..<m).map { gamma[$0] / (variance[$0] + layer.eps).squareRoot() }
        let per = weight.count / m
        var w = weight.scalars
        for o in 0..<m { for i in 0..<per { w[o * per + i] *= scale[o] } }
        let b0 = bias?.scalars ?? Array(repeating: 0, count: m)
        let b = (0..<m).map { (b0[$0] - mean[$0]) * scale[$0] + beta[$0] }
        return (try Tensor(shape: weight.shape, scalars: w), try Tensor(shape: [m], scalars: b))
    }

    /// `activation` applied element-wise (Mish as `x·tanh(softplus(x))`, GELU through `Erf`, ReLU6 as `Clip`,
    /// the hard activations with MobileNetV3's slope 1/6).
    public func activation(_ x: GraphValue, _ activation: Activation) throws -> GraphValue {
        switch activation {
        case .identity: return x
        case .relu: return try apply("Relu", [x])
        case .relu6: return try apply("Clip", [x, constant(Tensor(scalar: 0), "min"), constant(Tensor(scalar: 6), "max")])
        case .hardSwish: return try apply("HardSwish", [x])
        case .hardSigmoid: return try apply("HardSigmoid", [x], ["alpha": .float(1 / 6), "beta": .float(0.5)])
        case .sigmoid: return try apply("Sigmoid", [x])
        case .tanh: return try apply("Tanh", [x])
        case .mish: return try apply("Mul", [x, try apply("Tanh", [try apply("Softplus", [x])])])
        case .gelu:
            let erf = try apply("Erf", [try apply("Mul", [x, constant(Tensor(scalar: 1 / Float(2).squareRoot()), "rsqrt2")])])
            let phi = try apply("Mul", [try apply("Add", [erf, constant(Tensor(scalar: 1), "one")]), constant(Tensor(scalar: 0.5), "half")])
            return try apply("Mul", [x, phi])
        }
    }

    /// `Linear`: `Gemm(x, W, b, transB = 1)` on [N, in].
    public func linear(_ x: GraphValue, _ layer: Linear) throws -> GraphValue {
        var operands = [x, constant(layer.weight.value, "weight")]
        if let bias = layer.bias { operands.append(constant(bias.value, "bias")) }
        return try apply("Gemm", operands, ["transB": .int(1)])
    }

    /// `LayerNorm` over the trailing `layer.normalizedShape` axes.
    public func layerNorm(_ x: GraphValue, _ layer: LayerNorm) throws -> GraphValue {
        let shape = layer.normalizedShape
        let scale = layer.weight?.value ?? Tensor(repeating: 1, shape: shape)
        let bias = layer.bias?.value ?? Tensor(zeros: shape)
        return try apply("LayerNormalization", [x, constant(scale, "weight"), constant(bias, "bias")],
                         ["axis": .int(x.shape.count - shape.count), "epsilon": .float(layer.eps)])
    }

    /// `Reshape` to `target`, where 0 keeps the input's axis (how the batch axis passes through).
    public func reshape(_ x: GraphValue, _ target: [Int]) throws -> GraphValue {
        try apply("Reshape", [x, int64(target, "shape")])
    }

    /// `Slice` of `range` along `axis`.
    public func slice(_ x: GraphValue, axis: Int, _ range: Range<Int>) throws -> GraphValue {
        try apply("Slice", [x, int64([range.lowerBound], "starts"), int64([range.upperBound], "ends"), int64([axis], "axes")])
    }

    /// `Concat` along `axis` (the operand itself when there is one).
    public func concat(_ values: [GraphValue], axis: Int) throws -> GraphValue {
        values.count == 1 ? values[0] : try apply("Concat", values, ["axis": .int(axis)])
    }

    /// PyTorch's adaptive max pooling of [N, C, H, W] to [N, C, p, p] (windows `⌊i·H/p⌋ ..< ⌈(i+1)·H/p⌉`):
    /// one `MaxPool` when the windows tile the plane, else a max over each row band then each column band.
    public func adaptiveMaxPool(_ x: GraphValue, to p: Int) throws -> GraphValue {
        guard x.shape.count == 4, let h = x.shape[2].size, let w = x.shape[3].size, p >= 1 else {
            throw HNASError.op("adaptiveMaxPool", why: "graph input \(x.shape.text) is not [N, C, H, W]")
        }
        if h % p == 0, w % p == 0 {
            if h == p, w == p { return x }
            return try apply("MaxPool", [x], ["kernel_shape": .ints([h / p, w / p]), "strides": .ints([h / p, w / p])])
        }
        func bands(_ v: GraphValue, axis: Int, size: Int) throws -> GraphValue {
            if size == p { return v }
            let parts = try (0..<p).map { i in
                try apply("ReduceMax", [try slice(v, axis: axis, (i * size / p)..<(((i + 1) * size + p - 1) / p))],
                          ["axes": .ints([axis]), "keepdims": .int(1)])
            }
            return try concat(parts, axis: axis)
        }
        return try bands(try bands(x, axis: 2, size: h), axis: 3, size: w)
    }
}

/// 2-D convolution with PyTorch semantics (NCHW input, weight [out, in/groups, kH, kW], dilation 1),
/// differentiable in input, weight and bias. The arithmetic is `ConvKernels`'.
extension Tensor {
    /// Convolves `input` [N, C, H, W] with `weight` [O, C/groups, kH, kW] (+ `bias` [O]).
    /// `stride` and `padding` apply to both spatial axes.
    ///
    /// With an `epilogue` (inference only: an evaluation-mode batch norm and its activation, from
    /// `BatchNorm.inferenceEpilogue`), each output plane goes through it right after the convolution
    /// computes it, while it is in cache: the same bits as `batchNormInference` on the result, without
    /// that op's pass over memory.
    /// - Throws: `HNASError` naming the shapes when they do not fit together, for a gated epilogue or one
    ///   whose channel count is not O, or for an epilogue while gradients are being recorded.
    public static func conv2d(_ input: Tensor, weight: Tensor, bias: Tensor? = nil,
                              stride: Int = 1, padding: Int = 0, groups: Int = 1, epilogue: ChannelEpilogue? = nil) throws -> Tensor {
        try convolution(input, weight: weight, bias: bias, stride: (stride, stride), padding: (padding, padding), groups: groups,
                        epilogue: epilogue, op: "conv2d")
    }

    /// 1-D convolution (PyTorch's `conv1d`): `input` [N, C, L], `weight` [O, C/groups, k], `bias` [O].
    public static func conv1d(_ input: Tensor, weight: Tensor, bias: Tensor? = nil,
                              stride: Int = 1, padding: Int = 0, groups: Int = 1) throws -> Tensor {
        guard input.rank == 3, weight.rank == 3 else {
            throw HNASError.op("conv1d", why: "input \(input.shape) and weight \(weight.shape) must both be 3-D")
        }
        let x = try input.reshaped([input.shape[0], input.shape[1], 1, input.shape[2]])
        let w = try weight.reshaped([weight.shape[0], weight.shape[1], 1, weight.shape[2]])
        let y = try convolution(x, weight: w, bias: bias, stride: (1, stride), padding: (0, padding), groups: groups, epilogue: nil, op: "conv1d")
        return try y.reshaped([y.shape[0], y.shape[1], y.shape[3]])
    }

    /// The convolution op shared by `conv2d` and `conv1d` (stride and padding per axis: (H, W)).
    private static func convolution(_ input: Tensor, weight: Tensor, bias: Tensor?, stride: (Int, Int), padding: (Int, Int),
                                    groups: Int, epilogue: ChannelEpilogue?, op: String) throws -> Tensor {
        guard input.rank == 4, weight.rank == 4 else {
            throw HNASError.op(op, why: "input \(input.shape) and weight \(weight.shape) must both be 4-D")
        }
        let g = ConvGeometry(batch: input.shape[0], inChannels: input.shape[1], outChannels: weight.shape[0],
                             inHeight: input.shape[2], inWidth: input.shape[3],
                             kernelHeight: weight.shape[2], kernelWidth: weight.shape[3],
                             strideH: stride.0, strideW: stride.1, padH: padding.0, padW: padding.1, groups: groups)
        guard groups > 0, input.shape[1] % groups == 0,
              weight.shape[0] % groups == 0, weight.shape[1] * groups == input.shape[1] else {
            throw HNASError.op(op, why: "input \(input.shape) does not match weight \(weight.shape) with groups \(groups)")
        }
        guard g.isValid else {
            throw HNASError.op(op, why: "input \(input.shape), weight \(weight.shape), stride \(stride), padding \(padding) give no valid output")
        }
        if let bias, bias.shape != [weight.shape[0]] {
            throw HNASError.op(op, why: "bias \(bias.shape) does not match weight \(weight.shape)")
        }
        if let epilogue {
            guard !epilogue.gated, epilogue.scale.count == g.outChannels else {
                throw HNASError.op(op, why: "an epilogue of \(epilogue.scale.count) channels\(epilogue.gated ? " with a GLU" : "") for \(g.outChannels) output channels")
            }
            guard !Autograd.isRecording else {
                throw HNASError.op(op, why: "an epilogue is not differentiable: run it without gradients")
            }
        }
        let y = Tensor(shape: [g.batch, g.outChannels, g.outHeight, g.outWidth]) { out in
            input.withUnsafeBufferPointer { x in
                weight.withUnsafeBufferPointer { w in
                    Tensor.withElements(of: bias) { b in
                        ConvKernels.forward(g, input: x.baseAddress!, weight: w.baseAddress!, bias: b, output: out.baseAddress!, epilogue: epilogue)
                    }
                }
            }
        }
        let inputs = bias.map { [input, weight, $0] } ?? [input, weight]
        return record(op, y, inputs: inputs) { dy, needs in
            var grads: [Tensor?] = Array(repeating: nil, count: inputs.count)
            let wantsBias = inputs.count == 3 && needs[2], wantsWeight = needs[1] || wantsBias
            let dx = needs[0] ? Tensor(shape: input.shape) { _ in } : nil  // overwritten by the kernels
            var dw = Tensor(zeros: wantsWeight ? weight.shape : [0]), db = Tensor(zeros: [wantsBias ? g.outChannels : 0])
            dy.withUnsafeBufferPointer { gy in
                input.withUnsafeBufferPointer { x in
                    weight.withUnsafeBufferPointer { w in
                        dw.withUnsafeMutableBufferPointer { dwp in
                            db.withUnsafeMutableBufferPointer { dbp in
                                let dxp = dx.map { $0.storage.pointer }
                                ConvKernels.backward(g, input: x.baseAddress!, gradOutput: gy.baseAddress!, weight: w.baseAddress!,
                                                     gradInput: dxp, gradWeight: wantsWeight ? dwp.baseAddress! : nil,
                                                     gradBias: wantsBias ? dbp.baseAddress! : nil)
                            }
                        }
                    }
                }
            }
            grads[0] = dx
            if needs[1] { grads[1] = dw }
            if wantsBias { grads[2] = db }
            return grads
        }
    }
}

/// An inverted-residual block's expansion and depthwise convolution as one inference op.
extension Tensor {
    /// `conv2d(conv2d(input, weight: expandWeight, epilogue: expandEpilogue), weight: depthwiseWeight,
    /// stride: stride, padding: padding, groups: C, epilogue: depthwiseEpilogue)` (C the expanded channels),
    /// bit for bit, in one pass that never holds the expanded tensor (`ExpandDepthwise`); nil when that pass
    /// does not take these shapes, and the caller runs the two convolutions.
    /// - Throws: `HNASError` naming the shapes when they do not fit together, for a gated epilogue or one of
    ///   the wrong channel count, or while gradients are being recorded (the op keeps nothing to differentiate).
    public static func expandDepthwise(_ input: Tensor, expandWeight: Tensor, expandEpilogue: ChannelEpilogue?,
                                       depthwiseWeight: Tensor, stride: Int, padding: Int,
                                       depthwiseEpilogue: ChannelEpilogue?) throws -> Tensor? {
        let op = "expandDepthwise"
        guard input.rank == 4, expandWeight.rank == 4, depthwiseWeight.rank == 4 else {
            throw HNASError.op(op, why: "input \(input.shape), expansion \(expandWeight.shape) and depthwise weight \(depthwiseWeight.shape) must be 4-D")
        }
        let channels = expandWeight.shape[0]
        guard expandWeight.shape[1] == input.shape[1], expandWeight.shape[2] == 1, expandWeight.shape[3] == 1,
              depthwiseWeight.shape[0] == channels, depthwiseWeight.shape[1] == 1 else {
            throw HNASError.op(op, why: "input \(input.shape), expansion \(expandWeight.shape) and depthwise weight \(depthwiseWeight.shape) do not fit together")
        }
        for epilogue in [expandEpilogue, depthwiseEpilogue].compactMap({ $0 }) where epilogue.gated || epilogue.scale.count != channels {
            throw HNASError.op(op, why: "an epilogue of \(epilogue.scale.count) channels\(epilogue.gated ? " with a GLU" : "") for \(channels) expanded channels")
        }
        guard !Autograd.isRecording else {
            throw HNASError.op(op, why: "the fused expansion is not differentiable: run it without gradients")
        }
        let e = ConvGeometry(batch: input.shape[0], inChannels: input.shape[1], outChannels: channels,
                             inHeight: input.shape[2], inWidth: input.shape[3], kernelHeight: 1, kernelWidth: 1,
                             strideH: 1, strideW: 1, padH: 0, padW: 0, groups: 1)
        let d = ConvGeometry(batch: input.shape[0], inChannels: channels, outChannels: channels,
                             inHeight: input.shape[2], inWidth: input.shape[3],
                             kernelHeight: depthwiseWeight.shape[2], kernelWidth: depthwiseWeight.shape[3],
                             strideH: stride, strideW: stride, padH: padding, padW: padding, groups: channels)
        guard d.isValid else {
            throw HNASError.op(op, why: "input \(input.shape), depthwise weight \(depthwiseWeight.shape), stride \(stride), padding \(padding) give no valid output")
        }
        guard ExpandDepthwise.supports(expand: e, depthwise: d) else { return nil }
        return Tensor(shape: [d.batch, channels, d.outHeight, d.outWidth]) { out in
            input.withUnsafeBufferPointer { x in
                expandWeight.withUnsafeBufferPointer { w1 in
                    depthwiseWeight.withUnsafeBufferPointer { w2 in
                        ExpandDepthwise.forward(expand: e, depthwise: d, input: x.baseAddress!, expandWeight: w1.baseAddress!,
                                                expandEpilogue: expandEpilogue, depthwiseWeight: w2.baseAddress!,
                                                depthwiseEpilogue: depthwiseEpilogue, output: out.baseAddress!)
                    }
                }
            }
        }
    }
}

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
        let (e, d) = expandDepthwiseGeometries(input.shape, channels: channels, kernel: (depthwiseWeight.shape[2], depthwiseWeight.shape[3]),
                                               stride: stride, padding: padding)
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

    /// Whether `expandDepthwise` runs as one pass (rather than returning nil) for an input of `inputShape`
    /// [N, C, H, W] expanded to `channels` and a square depthwise `kernel`: a check on shapes alone, so that a
    /// caller builds the epilogues and weight slices the pass needs only when it will run.
    public static func expandDepthwiseTakes(_ inputShape: [Int], channels: Int, kernel: Int, stride: Int, padding: Int) -> Bool {
        guard inputShape.count == 4 else { return false }
        let (e, d) = expandDepthwiseGeometries(inputShape, channels: channels, kernel: (kernel, kernel), stride: stride, padding: padding)
        return d.isValid && ExpandDepthwise.supports(expand: e, depthwise: d)
    }

    /// The expansion's and the depthwise convolution's geometries for an input of `inputShape` [N, C, H, W].
    private static func expandDepthwiseGeometries(_ inputShape: [Int], channels: Int, kernel: (Int, Int), stride: Int,
                                                  padding: Int) -> (expand: ConvGeometry, depthwise: ConvGeometry) {
        let (n, c, h, w) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        return (ConvGeometry(batch: n, inChannels: c, outChannels: channels, inHeight: h, inWidth: w, kernelHeight: 1, kernelWidth: 1,
                             strideH: 1, strideW: 1, padH: 0, padW: 0, groups: 1),
                ConvGeometry(batch: n, inChannels: channels, outChannels: channels, inHeight: h, inWidth: w,
                             kernelHeight: kernel.0, kernelWidth: kernel.1, strideH: stride, strideW: stride,
                             padH: padding, padW: padding, groups: channels))
    }
}

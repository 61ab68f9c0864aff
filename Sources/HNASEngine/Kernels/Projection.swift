/// Inference of an inverted-residual block's last 1×1 convolution together with what surrounds it: the
/// squeeze-and-excitation's channel scaling of its input before it, its batch norm after it and the shortcut
/// added to its output (`Tensor.projection`).
///
/// Run as separate ops, the scaling writes a scaled copy of the expanded tensor and the shortcut reads the
/// block's output back to add the input (together about 5 % of an MM-IMDB batch-1 inference, each a pass over
/// memory). Here the 1×1 kernel (`PointwiseProduct`) multiplies each input row by its channel's scale as it
/// loads it and adds the shortcut before its one store. Every element gets the operations of the separate
/// ops, rounded as they round them, so the bits are the same.
enum Projection {
    /// Whether the pass takes the 1×1 convolution `g` with `epilogue`: on `PointwiseProduct`'s path (as
    /// `ConvKernels.forward` would run it), with an epilogue the kernel applies (no gate, no Mish).
    static func supports(_ g: ConvGeometry, epilogue: ChannelEpilogue?) -> Bool {
        g.isPointwise && g.groups == 1 && !BatchedPointwiseConv.supports(g) && PointwiseProduct.supports(columns: g.outPlane, depth: g.inChannels)
            && ChannelEpilogue.kernelActivation(epilogue) != nil
    }

    /// `output` (overwritten) = `epilogue`(`weight` · (input · channelScale)) + residual, sample by sample:
    /// `channelScale` holds `inChannels` scales per sample, `residual` is laid out as the output.
    static func forward(_ g: ConvGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                        channelScale: UnsafePointer<Float>?, epilogue: ChannelEpilogue?, residual: UnsafePointer<Float>?,
                        output: UnsafeMutablePointer<Float>) {
        precondition(supports(g, epilogue: epilogue), "1×1 convolution \(g) does not run as a projection pass")
        let (cin, cout, plane) = (g.inChannels, g.outChannels, g.outPlane)
        ConvKernels.forEachSample(g.batch) { n, splitting in
            PointwiseProduct.multiply(m: cout, n: plane, k: cin, a: weight, b: input + n * cin * plane, c: output + n * cout * plane,
                                      splitting: splitting, inputScale: channelScale.map { $0 + n * cin },
                                      residual: residual.map { $0 + n * cout * plane }, bias: nil, epilogue: epilogue, firstChannel: 0)
        }
    }
}

/// Inference of an inverted-residual block's first two convolutions in one pass: the 1×1 expansion
/// (with its batch norm and activation as epilogue) and the depthwise convolution after it (with its
/// own), a group of expanded channels at a time.
///
/// Run one after the other, the expansion writes the whole expanded tensor to memory and the depthwise
/// convolution reads it back (at batch 1 on mmimdb's 112×112 stage 144 planes, 7.2 MB, and at that
/// size the writes are bound by memory bandwidth). Here each worker computes a group's expanded planes
/// into its own scratch (`PointwiseProduct`, the group's rows of the weights) and convolves them from
/// there while they are in cache (`DepthwisePlanes`), so only the block's input and the depthwise output
/// go through memory, and the expanded tensor is never allocated.
///
/// Every expanded element is the same chain of fused multiply-adds with the same epilogue whatever the
/// group (the product's bits do not depend on the rows it is given), and each depthwise plane is
/// computed as `DepthwiseConv.forward` computes it: the bits of the two convolutions run separately.
enum ExpandDepthwise {
    /// Whether the pass takes an expansion `e` followed by the depthwise convolution `d`: the expansion on
    /// `PointwiseProduct`'s path (a plane large enough, not a batch-wide GEMM) and the depthwise convolution on
    /// the plane-by-plane path (the lanes kernels of narrow planes gather 16 channels of a sample at once).
    static func supports(expand e: ConvGeometry, depthwise d: ConvGeometry) -> Bool {
        e.isPointwise && e.groups == 1 && !BatchedPointwiseConv.supports(e) && PointwiseProduct.supports(columns: e.outPlane, depth: e.inChannels)
            && DepthwiseConv.supports(d) && !DepthwiseLanes.supportsForward(d)
            && d.batch == e.batch && d.inChannels == e.outChannels && d.inHeight == e.outHeight && d.inWidth == e.outWidth
    }

    /// `output` (d's output, overwritten) = the depthwise convolution `d` (weights `depthwiseWeight`, then
    /// `depthwiseEpilogue`) of the expansion `e` (weights `expandWeight`, then `expandEpilogue`) of `input`.
    static func forward(expand e: ConvGeometry, depthwise d: ConvGeometry, input: UnsafePointer<Float>,
                        expandWeight: UnsafePointer<Float>, expandEpilogue: ChannelEpilogue?,
                        depthwiseWeight: UnsafePointer<Float>, depthwiseEpilogue: ChannelEpilogue?,
                        output: UnsafeMutablePointer<Float>) {
        precondition(supports(expand: e, depthwise: d), "expansion \(e) and depthwise \(d) do not run as one pass")
        let plane = e.outPlane, k = e.inChannels, group = groupChannels(channels: e.outChannels, plane: plane)
        let groups = (e.outChannels + group - 1) / group
        let planes = DepthwisePlanes(d)
        Parallel.forEachRange(e.batch * groups) { items in
            let expanded = ThreadContext.current.scratch(ScratchSlot.expanded, count: group * plane)
            planes.withConvolution(weight: depthwiseWeight, bias: nil, epilogue: depthwiseEpilogue) { convolve in
                for item in items {
                    let (n, first) = (item / groups, item % groups * group)
                    let channels = first..<min(first + group, e.outChannels)
                    PointwiseProduct.multiply(m: channels.count, n: plane, k: k, a: expandWeight + first * k, b: input + n * k * plane,
                                              c: expanded, splitting: false, bias: nil, epilogue: expandEpilogue, firstChannel: first)
                    for c in channels {
                        convolve(expanded + (c - first) * plane, c, output + (n * d.outChannels + c) * d.outPlane)
                    }
                }
            }
        }
    }

    /// Expanded channels per group: a multiple of the product's 6-row tile whose planes fit in about
    /// 512 KB of scratch (with the input they stay in a core's second-level cache), and at most an eighth
    /// of the channels so that a batch-1 pass still has work for every worker.
    static func groupChannels(channels: Int, plane: Int) -> Int {
        let fitting = (expandedBudget / plane) / 6 * 6, spread = channels / 8 / 6 * 6
        return min(channels, max(6, min(fitting, spread)))
    }

    /// Floats of one group's expanded planes.
    private static let expandedBudget = 1 << 17
}

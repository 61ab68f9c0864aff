import CKernels

/// The stride-1 depthwise forward, input gradient and (for kernels of at least 6×6) weight gradient on
/// planes of at most 8 columns (MobileNets' 7×7 stage) with 16 channels in the AVX-512 vector lanes
/// (`hnas_ck_depthwise_lanes`, `hnas_ck_depthwise_lanes_weight`). On such planes
/// `DepthwiseConv`'s row loop fills at most 8 of 16 lanes with columns; with channels in the lanes every
/// FMA is whole. For each sample and group of 16 channels the C kernel gathers the planes into a
/// zero-padded channel-minor block (the copy the row loop makes anyway, transposed), correlates, and
/// scatters the result back to NCHW. It sums in the row loop's order, so the results are the same bits as
/// `DepthwiseConv`'s on every path and thread count (the tests compare them).
enum DepthwiseLanes {
    /// Channels per vector.
    static let lanes = 16

    /// Geometries this path takes: depthwise at stride 1, channels a multiple of 16, input and output
    /// planes of at most 8 columns, kernels of at most 8 rows, on the AVX-512 path.
    static func supports(_ g: ConvGeometry) -> Bool {
        DepthwiseConv.supports(g) && g.strideH == 1 && g.strideW == 1 && g.inChannels % lanes == 0
            && g.inWidth <= 8 && g.outWidth <= 8 && g.kernelHeight <= 8 && KernelPath.current == .avx512
    }

    /// `DepthwiseConv.forward` for a geometry `supports` accepts.
    static func forward(_ g: ConvGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                        bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>, epilogue: ChannelEpilogue?) {
        correlate(g, planes: input, height: g.inHeight, width: g.inWidth, padTop: g.padH, padLeft: g.padW,
                  weights: channelMinor(g, weight, flipped: false), initials: (0..<g.inChannels).map { bias?[$0] ?? 0 },
                  output: output, rows: g.outHeight, columns: g.outWidth, epilogue: epilogue)
    }

    /// `DepthwiseConv.backwardInput` for a geometry `supports` accepts: the full correlation of the output
    /// gradient with the flipped kernel.
    static func backwardInput(_ g: ConvGeometry, gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                              gradInput: UnsafeMutablePointer<Float>) {
        correlate(g, planes: gradOutput, height: g.outHeight, width: g.outWidth, padTop: g.kernelHeight - 1 - g.padH,
                  padLeft: g.kernelWidth - 1 - g.padW, weights: channelMinor(g, weight, flipped: true),
                  initials: [Float](repeating: 0, count: g.inChannels), output: gradInput, rows: g.inHeight,
                  columns: g.inWidth, epilogue: nil)
    }

    /// Whether `backwardWeight` takes `g`: what `supports` takes where `DepthwiseConv` sums the weight
    /// gradient as a correlation (kernels of at least 6×6) over at most 8 output rows (one tap-row chunk),
    /// with kernels at most 8 wide (one accumulator per kernel column in `hnas_ck_depthwise_lanes_weight`).
    static func supportsWeightGradient(_ g: ConvGeometry) -> Bool {
        supports(g) && g.kernelHeight >= 6 && g.kernelWidth >= 6 && g.kernelWidth <= 8 && g.outHeight <= 8
    }

    /// `DepthwiseConv.backwardWeight` for a geometry `supportsWeightGradient` accepts: each group of 16
    /// channels sums its samples in order, so the result does not depend on the thread count.
    static func backwardWeight(_ g: ConvGeometry, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                               gradWeight: UnsafeMutablePointer<Float>) {
        let blockCount = (g.outHeight + g.kernelHeight - 1) * (g.outWidth + g.kernelWidth - 1) * lanes
        Parallel.forEachRange(g.inChannels / lanes) { groups in
            let context = ThreadContext.current
            let block = context.scratch(ScratchSlot.paddedInput, count: blockCount)
            let gradient = context.scratch(ScratchSlot.paddedOutput, count: g.outPlane * lanes)
            let sums = context.scratch(ScratchSlot.partials, count: g.kernelArea * lanes)
            block.update(repeating: 0, count: blockCount)  // the padding stays zero across groups
            for group in groups {
                let handled = hnas_ck_depthwise_lanes_weight(
                    input + group * lanes * g.inPlane, g.inChannels * g.inPlane, gradOutput + group * lanes * g.outPlane,
                    g.inChannels * g.outPlane, g.batch, g.inHeight, g.inWidth, g.padH, g.padW, g.outHeight, g.outWidth,
                    g.kernelHeight, g.kernelWidth, block, gradient, sums)
                precondition(handled != 0, "hnas_ck_depthwise_lanes_weight refused a geometry DepthwiseLanes takes: \(g)")
                for lane in 0..<lanes {
                    let dw = gradWeight + (group * lanes + lane) * g.kernelArea
                    for t in 0..<g.kernelArea { dw[t] = sums[t * lanes + lane] }
                }
            }
        }
    }

    /// Each channel's kernel (flipped in both directions if asked), channel-minor: [group][ky][kx][16].
    private static func channelMinor(_ g: ConvGeometry, _ weight: UnsafePointer<Float>, flipped: Bool) -> [Float] {
        var result = [Float](repeating: 0, count: g.inChannels * g.kernelArea)
        for c in 0..<g.inChannels {
            let (group, lane) = c.quotientAndRemainder(dividingBy: lanes)
            for t in 0..<g.kernelArea {
                result[(group * g.kernelArea + t) * lanes + lane] = weight[c * g.kernelArea + (flipped ? g.kernelArea - 1 - t : t)]
            }
        }
        return result
    }

    /// `output` planes (rows × columns) = `initials` + the correlation of the `planes` (height × width,
    /// padded by padTop / padLeft) with `weights`, then the `epilogue`.
    private static func correlate(_ g: ConvGeometry, planes: UnsafePointer<Float>, height: Int, width: Int, padTop: Int,
                                  padLeft: Int, weights: [Float], initials: [Float], output: UnsafeMutablePointer<Float>,
                                  rows: Int, columns: Int, epilogue: ChannelEpilogue?) {
        let groups = g.inChannels / lanes, inPlane = height * width, outPlane = rows * columns
        let blockCount = (rows + g.kernelHeight - 1) * (columns + g.kernelWidth - 1) * lanes
        weights.withUnsafeBufferPointer { w in
            initials.withUnsafeBufferPointer { b in
                Parallel.forEachRange(g.batch * groups) { items in
                    let context = ThreadContext.current
                    let block = context.scratch(ScratchSlot.paddedInput, count: blockCount)
                    let result = context.scratch(ScratchSlot.paddedOutput, count: outPlane * lanes)
                    block.update(repeating: 0, count: blockCount)  // the padding stays zero across items
                    for item in items {
                        let (n, group) = item.quotientAndRemainder(dividingBy: groups)
                        let firstPlane = n * g.inChannels + group * lanes, y = output + firstPlane * outPlane
                        let handled = hnas_ck_depthwise_lanes(planes + firstPlane * inPlane, height, width, inPlane, padTop, padLeft,
                                                              block, w.baseAddress! + group * g.kernelArea * lanes, g.kernelHeight,
                                                              g.kernelWidth, b.baseAddress! + group * lanes, result, y, rows, columns)
                        precondition(handled != 0, "hnas_ck_depthwise_lanes refused a geometry DepthwiseLanes.supports: \(g)")
                        epilogue?.applyInPlace(channels: (group * lanes)..<((group + 1) * lanes), plane: outPlane, to: y)
                    }
                }
            }
        }
    }
}

import CKernels

/// The depthwise forward and input gradient at stride 1 or 2 on narrow planes (`supports`), and the weight
/// gradient where the output has at most 8 columns, with 16 channels in the AVX-512 vector lanes
/// (`hnas_ck_lanes_gather`, `hnas_ck_lanes_correlate`, `hnas_ck_lanes_scatter`, `hnas_ck_depthwise_lanes_weight`,
/// `hnas_ck_depthwise_lanes_tap_sums`): MobileNets' 7×7 stage and the stride-2 layers leading into it. On
/// 7×7 planes `DepthwiseConv`'s row loop fills at most 8 of 16 lanes with columns, and at stride 2 it splits
/// planes into phases and scatters results float by float; with channels in the lanes every FMA is whole.
/// For each sample and group of 16 channels the planes are gathered into a zero-padded channel-minor block
/// (the copy the row loop makes anyway, transposed), correlated, and the result scattered back to NCHW. The
/// sums run in the row loop's order, so the results are the same bits as `DepthwiseConv`'s on every path and
/// thread count (the tests compare them).
enum DepthwiseLanes {
    /// Channels per vector.
    static let lanes = 16

    /// Geometries this path takes: depthwise at stride 1 or 2 (the same both ways), channels a multiple of
    /// 16, kernels of at most 8 rows, on the AVX-512 path; at stride 1 output and input planes of at most 8
    /// columns, at stride 2 output planes and every stride phase of the input of at most 32 (in column
    /// chunks of at most 8). Wider stride-1 planes stay on the row loop, whose 16-column blocks are nearly
    /// full there (measured: 240×14×14 k7 at batch 32 about 10 % slower on the lanes), while at stride 2 the
    /// row loop's phase splitting and scatter make the lanes faster (input gradient of 144×28×28 k7
    /// 3.5 → 2.1 ms, of 96×56×56 6.9 → 5.4 ms, at batch 32).
    static func supports(_ g: ConvGeometry) -> Bool {
        let columns = g.strideW == 1 ? 8 : 32
        return takesChannels(g) && g.outWidth <= columns && (g.inWidth + g.strideW - 1) / g.strideW <= columns
    }

    /// Whether `forward` takes `g`: what `supports` takes with at most 16 output columns. The row loop's
    /// strided forward has no scatter to lose, and on wider outputs it was faster (96×56×56 k7 s2 at batch
    /// 32: 3.35 against 3.57 ms on the lanes; 192×56×56 at batch 1: 0.21 against 0.29 ms).
    static func supportsForward(_ g: ConvGeometry) -> Bool { supports(g) && g.outWidth <= 16 }

    /// What every lanes kernel needs: depthwise at stride 1 or 2 (the same both ways), channels a multiple of
    /// 16, kernels of at most 8 rows, the AVX-512 path.
    private static func takesChannels(_ g: ConvGeometry) -> Bool {
        DepthwiseConv.supports(g) && g.strideH == g.strideW && (1...2).contains(g.strideH) && g.inChannels % lanes == 0
            && g.kernelHeight <= 8 && KernelPath.current == .avx512
    }

    /// `DepthwiseConv.forward` for a geometry `supportsForward` accepts: one strided correlation of the padded input.
    static func forward(_ g: ConvGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                        bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>, epilogue: ChannelEpilogue?) {
        let weights = channelMinor(g, weight)
        let (blockRows, blockWidth) = inputBlock(g)
        let zeros = [Float](repeating: 0, count: lanes)
        weights.withUnsafeBufferPointer { w in
            zeros.withUnsafeBufferPointer { zeros in
                forEachGroup(g, planes: input, height: g.inHeight, width: g.inWidth, padTop: g.padH, padLeft: g.padW,
                             blockRows: blockRows, blockWidth: blockWidth, output: output, rows: g.outHeight,
                             columns: g.outWidth) { block, result, group in
                    correlate(block, blockWidth, stride: g.strideH, weights: w.baseAddress! + group * g.kernelArea * lanes,
                              g.kernelHeight, g.kernelWidth, initial: bias.map { $0 + group * lanes } ?? zeros.baseAddress!, result,
                              rowStep: g.outWidth, columnStep: 1, rows: g.outHeight, columns: g.outWidth,
                              realRows: g.padH..<(g.padH + g.inHeight))
                } finish: { group, y in
                    epilogue?.applyInPlace(channels: (group * lanes)..<((group + 1) * lanes), plane: g.outPlane, to: y)
                }
            }
        }
    }

    /// `DepthwiseConv.backwardInput` for a geometry `supports` accepts: for each stride phase of the input
    /// (`GradientPhase`; one at stride 1), the full correlation of the output gradient with the phase's
    /// flipped sub-kernel, written to the phase's positions of the input gradient.
    static func backwardInput(_ g: ConvGeometry, gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                              gradInput: UnsafeMutablePointer<Float>) {
        let padTop = GradientPhase.padding(kernel: g.kernelHeight, stride: g.strideH)
        let padLeft = GradientPhase.padding(kernel: g.kernelWidth, stride: g.strideW)
        // The plan's taps index a padded plane; only its sub-kernels, weight indices and positions are used here.
        let plan = GradientPhase.plan(g, plane: PaddedPlane.forOutputGradient(g))
        let phases = plan.phases.filter { !$0.rows.isEmpty && !$0.columns.isEmpty }
        let blockRows = phases.map { $0.rows.upperBound + padTop }.reduce(padTop + g.outHeight, Swift.max)
        let blockWidth = phases.map { $0.columns.upperBound + padLeft }.reduce(padLeft + g.outWidth, Swift.max)
        let weights = channelMinor(g, weight, taps: plan.weightIndices), zeros = [Float](repeating: 0, count: lanes)
        weights.withUnsafeBufferPointer { w in
            zeros.withUnsafeBufferPointer { z in
                forEachGroup(g, planes: gradOutput, height: g.outHeight, width: g.outWidth, padTop: padTop, padLeft: padLeft,
                             blockRows: blockRows, blockWidth: blockWidth, output: gradInput, rows: g.inHeight,
                             columns: g.inWidth) { block, result, group in
                    for phase in phases {
                        // Output q reads gradient rows from padded row q + padTop − tapRows + 1 on.
                        let top = phase.rows.lowerBound + padTop - phase.tapRows + 1
                        let left = phase.columns.lowerBound + padLeft - phase.tapColumns + 1
                        let y = phase.rows.lowerBound * g.strideH + phase.rowResidue - g.padH
                        let x = phase.columns.lowerBound * g.strideW + phase.columnResidue - g.padW
                        correlate(block + (top * blockWidth + left) * lanes, blockWidth, stride: 1,
                                  weights: w.baseAddress! + (group * g.kernelArea + phase.firstTap) * lanes,
                                  phase.tapRows, phase.tapColumns, initial: z.baseAddress!,
                                  result + (y * g.inWidth + x) * lanes, rowStep: g.strideH * g.inWidth, columnStep: g.strideW,
                                  rows: phase.rows.count, columns: phase.columns.count,
                                  realRows: (padTop - top)..<(padTop - top + g.outHeight))
                    }
                }
            }
        }
    }

    /// Whether `backwardWeight` takes `g`: stride 1 where `DepthwiseConv` sums the weight gradient as a
    /// correlation (kernels of at least 6×6), with kernels at most 8 wide (one accumulator per kernel column in
    /// `hnas_ck_depthwise_lanes_weight`) and output planes of at most 32 columns.
    static func supportsWeightGradient(_ g: ConvGeometry) -> Bool {
        takesChannels(g) && g.strideH == 1 && g.kernelHeight >= 6 && g.kernelWidth >= 6 && g.kernelWidth <= 8 && g.outWidth <= 32
    }

    /// `DepthwiseConv.backwardWeight` for a geometry `supportsWeightGradient` accepts: each group of 16
    /// channels sums its samples in order, so the result does not depend on the thread count.
    static func backwardWeight(_ g: ConvGeometry, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                               gradWeight: UnsafeMutablePointer<Float>) {
        let (_, blockWidth) = inputBlock(g)
        weightGradient(g, sumsPerChannel: g.kernelArea, gradWeight: gradWeight) { block, gradient, sums, group in
            hnas_ck_depthwise_lanes_weight(
                input + group * lanes * g.inPlane, g.inChannels * g.inPlane, gradOutput + group * lanes * g.outPlane,
                g.inChannels * g.outPlane, g.batch, g.inHeight, g.inWidth, g.padH, g.padW, g.outHeight, g.outWidth,
                g.kernelHeight, g.kernelWidth, block, blockWidth, gradient, sums)
        } reduce: { sums, t in sums[t * lanes] }
    }

    /// Whether `backwardWeightByTapSums` takes `g`: at most 8 output columns (the row loop's 8 column lanes,
    /// one column each).
    static func supportsTapSums(_ g: ConvGeometry) -> Bool { takesChannels(g) && g.outWidth <= 8 }

    /// `DepthwiseConv.backwardWeight` by tap sums (`SIMDCorrelation.accumulateTapSums`) for a geometry
    /// `supportsTapSums` accepts: each tap's 8 column lanes summed by `hnas_ck_depthwise_lanes_tap_sums` in the row loop's order,
    /// then reduced as the row loop reduces them, so the bits are the same.
    static func backwardWeightByTapSums(_ g: ConvGeometry, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                        gradWeight: UnsafeMutablePointer<Float>) {
        let (_, blockWidth) = inputBlock(g)
        weightGradient(g, sumsPerChannel: g.kernelArea * 8, gradWeight: gradWeight) { block, gradient, sums, group in
            hnas_ck_depthwise_lanes_tap_sums(
                input + group * lanes * g.inPlane, g.inChannels * g.inPlane, gradOutput + group * lanes * g.outPlane,
                g.inChannels * g.outPlane, g.batch, g.inHeight, g.inWidth, g.padH, g.padW, g.strideH, g.outHeight, g.outWidth,
                g.kernelHeight, g.kernelWidth, g.kernelArea / 8 * 8, block, blockWidth, gradient, sums)
        } reduce: { sums, t in
            let p = sums + t * 8 * lanes
            return SIMD8<Float>(p[0], p[lanes], p[2 * lanes], p[3 * lanes], p[4 * lanes], p[5 * lanes], p[6 * lanes], p[7 * lanes]).sum()
        }
    }

    /// The weight gradient's walk: each worker takes groups of 16 channels; `kernel(block, gradient, sums,
    /// group)` fills `sums` ([sumsPerChannel][16]) from the group's planes of all samples, and
    /// `reduce(sums + lane, t)` gives lane's tap t.
    private static func weightGradient(_ g: ConvGeometry, sumsPerChannel: Int, gradWeight: UnsafeMutablePointer<Float>,
                                       kernel: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Int32,
                                       reduce: (UnsafeMutablePointer<Float>, Int) -> Float) {
        let (blockRows, blockWidth) = inputBlock(g)
        let blockCount = blockRows * blockWidth * lanes
        Parallel.forEachRange(g.inChannels / lanes) { groups in
            let context = ThreadContext.current
            let block = context.scratch(ScratchSlot.paddedInput, count: blockCount)
            let gradient = context.scratch(ScratchSlot.paddedOutput, count: g.outPlane * lanes)
            let sums = context.scratch(ScratchSlot.partials, count: sumsPerChannel * lanes)
            block.update(repeating: 0, count: blockCount)  // the padding stays zero across groups
            for group in groups {
                precondition(kernel(block, gradient, sums, group) != 0, "a lanes weight-gradient kernel refused \(g)")
                for lane in 0..<lanes {
                    let dw = gradWeight + (group * lanes + lane) * g.kernelArea
                    for t in 0..<g.kernelArea { dw[t] = reduce(sums + lane, t) }
                }
            }
        }
    }

    /// Rows and columns of the zero-padded input block of the forward and the weight gradient: room for every
    /// tap of every output and for the whole input at its padding.
    private static func inputBlock(_ g: ConvGeometry) -> (rows: Int, width: Int) {
        (Swift.max((g.outHeight - 1) * g.strideH + g.kernelHeight, g.padH + g.inHeight),
         Swift.max((g.outWidth - 1) * g.strideW + g.kernelWidth, g.padW + g.inWidth))
    }

    /// Each channel's kernel channel-minor, [group][tap][16], taps in the order `taps` lists them (indices into
    /// the k×k filter; nil: in order). Each group's 16 filters are one transposing gather, the groups split over
    /// the workers: done serially before a layer's parallel loop, the rearrangement left the other workers idle
    /// (batch 1, dw 1152×7×7 at two threads: 0.060 → 0.048 ms). Not per item inside that loop: at batch 256 every
    /// sample re-gathered its groups' filters (avmnist dw 144×7×7: 0.80 → 0.96 ms).
    private static func channelMinor(_ g: ConvGeometry, _ weight: UnsafePointer<Float>, taps: [Int]? = nil) -> [Float] {
        let area = g.kernelArea, groupSize = area * lanes, count = g.inChannels * area
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            let all = buffer.baseAddress!
            Parallel.forEach(g.inChannels / lanes) { group in
                let filters = weight + group * groupSize, to = all + group * groupSize
                guard let taps else { return gatherChannelMinor(filters, area: area, into: to) }
                let inOrder = ThreadContext.current.scratch(ScratchSlot.laneWeights, count: groupSize)
                gatherChannelMinor(filters, area: area, into: inOrder)
                for (t, index) in taps.enumerated() { (to + t * lanes).update(from: inOrder + index * lanes, count: lanes) }
            }
            initialized = count
        }
    }

    /// One group's 16 filters of `area` taps each (at `filters`, filter-major) as [tap][16] at `to`: one transposing gather.
    private static func gatherChannelMinor(_ filters: UnsafePointer<Float>, area: Int, into to: UnsafeMutablePointer<Float>) {
        let gathered = hnas_ck_lanes_gather(filters, 1, area, area, 0, 0, area, to, 0)
        precondition(gathered != 0, "hnas_ck_lanes_gather refused on the AVX-512 path")
    }

    /// For every sample and group of 16 channels, split over the workers: gathers the group's `planes`
    /// (height × width) into a zero-padded block (blockRows × blockWidth, at padTop / padLeft), runs
    /// `body(block, result, group)` to fill `result` (rows × columns positions), scatters it to the
    /// group's `output` planes, then `finish(group, firstOutputPlane)` if given.
    private static func forEachGroup(_ g: ConvGeometry, planes: UnsafePointer<Float>, height: Int, width: Int, padTop: Int,
                                     padLeft: Int, blockRows: Int, blockWidth: Int, output: UnsafeMutablePointer<Float>,
                                     rows: Int, columns: Int,
                                     _ body: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void,
                                     finish: ((Int, UnsafeMutablePointer<Float>) -> Void)? = nil) {
        let groups = g.inChannels / lanes, inPlane = height * width, outPlane = rows * columns
        let blockCount = blockRows * blockWidth * lanes
        Parallel.forEachRange(g.batch * groups) { items in
            let context = ThreadContext.current
            let block = context.scratch(ScratchSlot.paddedInput, count: blockCount)
            let result = context.scratch(ScratchSlot.paddedOutput, count: outPlane * lanes)
            block.update(repeating: 0, count: blockCount)  // the padding stays zero across items
            for item in items {
                let (n, group) = item.quotientAndRemainder(dividingBy: groups)
                let firstPlane = n * g.inChannels + group * lanes, y = output + firstPlane * outPlane
                // The next item's planes follow these (the next group, or the next sample's first).
                let gathered = hnas_ck_lanes_gather(planes + firstPlane * inPlane, height, width, inPlane, padTop, padLeft,
                                                    blockWidth, block, lanes * inPlane)
                precondition(gathered != 0, "hnas_ck_lanes_gather refused on the AVX-512 path")
                body(UnsafePointer(block), result, group)
                _ = hnas_ck_lanes_scatter(result, outPlane, outPlane, y, lanes * outPlane)
                finish?(group, y)
            }
        }
    }

    /// `hnas_ck_lanes_correlate` for a shape `supports` guarantees it takes.
    /// More than 8 columns go in the fewest chunks of at most 8, of about equal size.
    @inline(__always)
    private static func correlate(_ source: UnsafePointer<Float>, _ sourceWidth: Int, stride: Int, weights: UnsafePointer<Float>,
                                  _ kernelHeight: Int, _ kernelWidth: Int, initial: UnsafePointer<Float>,
                                  _ output: UnsafeMutablePointer<Float>, rowStep: Int, columnStep: Int, rows: Int, columns: Int,
                                  realRows: Range<Int>) {
        let chunks = (columns + 7) / 8, chunk = (columns + chunks - 1) / chunks
        for first in Swift.stride(from: 0, to: columns, by: chunk) {
            let handled = hnas_ck_lanes_correlate(source + first * stride * lanes, sourceWidth, stride, weights, kernelHeight,
                                                  kernelWidth, initial, output + first * columnStep * lanes, rowStep, columnStep,
                                                  rows, Swift.min(chunk, columns - first), realRows.lowerBound, realRows.upperBound)
            precondition(handled != 0, "hnas_ck_lanes_correlate refused stride \(stride), \(columns) columns")
        }
    }
}

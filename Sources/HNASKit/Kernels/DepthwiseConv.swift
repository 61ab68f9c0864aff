/// Depthwise convolution (`groups == inChannels == outChannels`), hand-vectorised with `SIMD8<Float>`.
///
/// Every pass is a stride-1 "valid" correlation over a zero-padded copy of one channel plane held
/// in per-thread scratch (`PaddedPlane`), computed by `SIMDCorrelation` 8 output columns × 4 output
/// rows at a time; stride is handled by splitting padded columns into `stride` phases, so every
/// vector load is contiguous:
/// - forward: correlate the padded input with the filter;
/// - backward input: correlate the stride-dilated, (k−1−pad)-padded output gradient with the
///   flipped filter (the transposed convolution);
/// - backward weight: for each tap, Σ gradOutput · shifted padded input, summed over samples
///   channel by channel (so no reduction across threads, and results independent of thread count).
/// Forward and backward input are split over workers by (sample, channel) plane.
enum DepthwiseConv {
    /// Geometries this path handles: depthwise, one input channel per group, padding below the kernel size.
    static func supports(_ g: ConvGeometry) -> Bool {
        g.isDepthwise && g.padH < g.kernelHeight && g.padW < g.kernelWidth
    }

    static func forward(_ g: ConvGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                        bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>) {
        let source = PaddedPlane.forInput(g)
        let result = PaddedPlane.result(height: g.outHeight, width: g.outWidth)
        let taps = SIMDCorrelation.Taps(plane: source, kernelHeight: g.kernelHeight, kernelWidth: g.kernelWidth)
        Parallel.forEachRange(g.batch * g.inChannels) { planes in
            let context = ThreadContext.current
            let padded = source.prepare(context.scratch(ScratchSlot.paddedInput, count: source.count))
            let out = context.scratch(ScratchSlot.paddedOutput, count: result.count)
            let offsets = taps.offsets(context)
            for plane in planes {
                let c = plane % g.inChannels
                source.fill(padded, from: input + plane * g.inPlane)
                SIMDCorrelation.correlate(source: padded, rowStep: source.rowLength * g.strideH, taps: offsets,
                                          weights: weight + c * g.kernelArea, count: taps.count, initial: bias?[c] ?? 0,
                                          output: out, result: result)
                result.crop(out, into: output + plane * g.outPlane)
            }
        }
    }

    static func backwardInput(_ g: ConvGeometry, gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                              gradInput: UnsafeMutablePointer<Float>) {
        let source = PaddedPlane.forDilatedGradient(g)
        let result = PaddedPlane.result(height: g.inHeight, width: g.inWidth)
        let taps = SIMDCorrelation.Taps(plane: source, kernelHeight: g.kernelHeight, kernelWidth: g.kernelWidth)
        Parallel.forEachRange(g.batch * g.inChannels) { planes in
            let context = ThreadContext.current
            let padded = source.prepare(context.scratch(ScratchSlot.paddedInput, count: source.count))
            let out = context.scratch(ScratchSlot.paddedOutput, count: result.count)
            let flipped = context.scratch(ScratchSlot.columns, count: g.kernelArea)
            let offsets = taps.offsets(context)
            var flippedChannel = -1
            for plane in planes {
                let c = plane % g.inChannels
                if c != flippedChannel {
                    let w = weight + c * g.kernelArea
                    for t in 0..<g.kernelArea { flipped[t] = w[g.kernelArea - 1 - t] }
                    flippedChannel = c
                }
                source.fill(padded, from: gradOutput + plane * g.outPlane)
                SIMDCorrelation.correlate(source: padded, rowStep: source.rowLength, taps: offsets,
                                          weights: flipped, count: taps.count, initial: 0, output: out, result: result)
                result.crop(out, into: gradInput + plane * g.inPlane)
            }
        }
    }

    /// `gradWeight` overwritten; the bias gradient is left to the caller.
    static func backwardWeight(_ g: ConvGeometry, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                               gradWeight: UnsafeMutablePointer<Float>) {
        let source = PaddedPlane.forInput(g)
        let gradient = PaddedPlane.result(height: g.outHeight, width: g.outWidth)
        let taps = SIMDCorrelation.Taps(plane: source, kernelHeight: g.kernelHeight, kernelWidth: g.kernelWidth)
        Parallel.forEach(g.inChannels) { c in
            let context = ThreadContext.current
            let padded = source.prepare(context.scratch(ScratchSlot.paddedInput, count: source.count))
            let dy = gradient.prepare(context.scratch(ScratchSlot.paddedOutput, count: gradient.count))
            let sums = context.scratch(ScratchSlot.columns, count: taps.paddedCount * 8)
            sums.update(repeating: 0, count: taps.paddedCount * 8)
            let offsets = taps.offsets(context)
            for n in 0..<g.batch {
                let plane = n * g.inChannels + c
                source.fill(padded, from: input + plane * g.inPlane)
                gradient.fill(dy, from: gradOutput + plane * g.outPlane)
                SIMDCorrelation.accumulateTapSums(source: padded, rowStep: source.rowLength * g.strideH, taps: offsets,
                                                  count: taps.paddedCount, gradient: dy, plane: gradient,
                                                  rows: g.outHeight, sums: sums)
            }
            for t in 0..<g.kernelArea {
                let lanes = UnsafeRawPointer(sums + t * 8).loadUnaligned(as: SIMD8<Float>.self)
                gradWeight[c * g.kernelArea + t] = lanes.sum()
            }
        }
    }
}

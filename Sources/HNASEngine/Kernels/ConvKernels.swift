/// Forward and backward passes of 2-D convolution on raw NCHW buffers (see `ConvGeometry`).
///
/// Every entry point overwrites its outputs and gives the same bits for any thread count.
/// Depthwise convolutions go to `DepthwiseConv` (SIMD), 1×1 convolutions of small planes to
/// `BatchedPointwiseConv` (one batch-wide GEMM). Everything else is split over `Parallel` workers by
/// sample; each sample's convolution is a GEMM per group on the im2col columns (`Im2Col`),
/// skipped for 1×1 stride-1 unpadded convolutions whose input already is the column matrix. The GEMM is
/// the 1×1 path's C kernel (`PointwiseProduct`) where it takes the shape, with the epilogue in registers:
/// for a MobileNet stem (27 rows, 112×112 positions, one thread) OpenBLAS took 0.30 ms and this 0.22 ms, as
/// OpenBLAS packs both operands and clears the output first. Elsewhere OpenBLAS.
enum ConvKernels {
    /// `output[N, outC, oH, oW] = conv(input) (+ bias)`, then `epilogue` (ungated) on each output plane
    /// while it is still in cache. Overwrites `output`.
    static func forward(_ g: ConvGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                        bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>, epilogue: ChannelEpilogue? = nil) {
        precondition(g.isValid, "invalid convolution geometry \(g)")
        if DepthwiseConv.supports(g) {
            DepthwiseConv.forward(g, input: input, weight: weight, bias: bias, output: output, epilogue: epilogue)
            return
        }
        if BatchedPointwiseConv.supports(g) {
            BatchedPointwiseConv.forward(g, input: input, weight: weight, bias: bias, output: output, epilogue: epilogue)
            return
        }
        let cg = g.inChannelsPerGroup, mg = g.outChannelsPerGroup, rows = cg * g.kernelArea, plane = g.outPlane
        forEachSample(g.batch) { n, splitting in
            let columns = g.isPointwise ? nil : ThreadContext.current.scratch(ScratchSlot.columns, count: rows * plane)
            for group in 0..<g.groups {
                let x = input + (n * g.inChannels + group * cg) * g.inPlane
                let y = output + (n * g.outChannels + group * mg) * plane
                if let columns { Im2Col.unfold(g, channels: cg, input: x, columns: columns, splitting: splitting) }
                // The bias and epilogue go onto each block of the product as it comes out, while in cache.
                let a = weight + group * mg * rows, b = columns.map { UnsafePointer($0) } ?? x
                if PointwiseProduct.supports(columns: plane, depth: rows) {
                    PointwiseProduct.multiply(m: mg, n: plane, k: rows, a: a, b: b, c: y, splitting: splitting, bias: bias,
                                              epilogue: epilogue, firstChannel: group * mg)
                } else {
                    Gemm.sgemm(transA: false, transB: false, m: mg, n: plane, k: rows, alpha: 1, a: a, lda: rows,
                               b: b, ldb: plane, beta: 0, c: y, ldc: plane,
                               splitting: splitting,
                               finish: ChannelEpilogue.blockFinish(bias: bias, epilogue: epilogue, firstChannel: group * mg,
                                                                   output: y, rowLength: plane))
                }
            }
        }
    }

    /// The gradients a recorded convolution needs, each overwritten when given: `gradInput` from
    /// `gradOutput` and `weight`, `gradWeight` (and `gradBias`, which needs `gradWeight`) from `input` and
    /// `gradOutput`. Batched pointwise convolutions gather the output gradient once for both.
    static func backward(_ g: ConvGeometry, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                         gradInput: UnsafeMutablePointer<Float>?, gradWeight: UnsafeMutablePointer<Float>?,
                         gradBias: UnsafeMutablePointer<Float>?) {
        precondition(g.isValid, "invalid convolution geometry \(g)")
        guard BatchedPointwiseConv.supports(g) else {
            if let gradInput { backwardInput(g, gradOutput: gradOutput, weight: weight, gradInput: gradInput) }
            if let gradWeight { backwardWeight(g, input: input, gradOutput: gradOutput, gradWeight: gradWeight, gradBias: gradBias) }
            return
        }
        if let gradBias { sumBias(g, gradOutput: gradOutput, gradBias: gradBias) }
        BatchedPointwiseConv.backward(g, input: input, gradOutput: gradOutput, weight: weight, gradInput: gradInput, gradWeight: gradWeight)
    }

    /// `gradInput` (overwritten) from `gradOutput` and `weight`.
    static func backwardInput(_ g: ConvGeometry, gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                              gradInput: UnsafeMutablePointer<Float>) {
        precondition(g.isValid, "invalid convolution geometry \(g)")
        if DepthwiseConv.supports(g) {
            DepthwiseConv.backwardInput(g, gradOutput: gradOutput, weight: weight, gradInput: gradInput)
            return
        }
        if BatchedPointwiseConv.supports(g) {
            BatchedPointwiseConv.backwardInput(g, gradOutput: gradOutput, weight: weight, gradInput: gradInput)
            return
        }
        let cg = g.inChannelsPerGroup, mg = g.outChannelsPerGroup, rows = cg * g.kernelArea, plane = g.outPlane
        forEachSample(g.batch) { n, splitting in
            let columns = g.isPointwise ? nil : ThreadContext.current.scratch(ScratchSlot.columns, count: rows * plane)
            let dx = gradInput + n * g.inChannels * g.inPlane
            if columns != nil { dx.update(repeating: 0, count: g.inChannels * g.inPlane) }
            for group in 0..<g.groups {
                let dy = gradOutput + (n * g.outChannels + group * mg) * plane
                let dxGroup = dx + group * cg * g.inPlane
                // columns (or dx directly) = W_groupᵀ · dy
                Gemm.sgemm(transA: true, transB: false, m: rows, n: plane, k: mg, alpha: 1,
                           a: weight + group * mg * rows, lda: rows, b: dy, ldb: plane,
                           beta: 0, c: columns ?? dxGroup, ldc: plane, splitting: splitting)
                if let columns { Im2Col.foldAdding(g, channels: cg, columns: columns, input: dxGroup) }
            }
        }
    }

    /// `gradWeight` (and `gradBias` if non-nil) OVERWRITTEN from `input` and `gradOutput`;
    /// the caller accumulates across steps.
    ///
    /// Samples are summed in a fixed number of contiguous chunks (independent of the thread count),
    /// each chunk into its own partial sum, and the partials are added in chunk order, so the
    /// result is the same for every thread count.
    static func backwardWeight(_ g: ConvGeometry, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                               gradWeight: UnsafeMutablePointer<Float>, gradBias: UnsafeMutablePointer<Float>?) {
        precondition(g.isValid, "invalid convolution geometry \(g)")
        if let gradBias { sumBias(g, gradOutput: gradOutput, gradBias: gradBias) }
        if DepthwiseConv.supports(g) {
            DepthwiseConv.backwardWeight(g, input: input, gradOutput: gradOutput, gradWeight: gradWeight)
            return
        }
        if BatchedPointwiseConv.supports(g) {
            BatchedPointwiseConv.backwardWeight(g, input: input, gradOutput: gradOutput, gradWeight: gradWeight)
            return
        }
        let cg = g.inChannelsPerGroup, mg = g.outChannelsPerGroup, rows = cg * g.kernelArea, plane = g.outPlane
        let count = g.weightCount
        let chunks = min(g.batch, weightChunks)
        let partials = chunks > 1 ? ThreadContext.current.scratch(ScratchSlot.partials, count: (chunks - 1) * count) : nil
        Parallel.forEach(chunks) { chunk in
            let dw = chunk == 0 ? gradWeight : partials! + (chunk - 1) * count
            let columns = g.isPointwise ? nil : ThreadContext.current.scratch(ScratchSlot.columns, count: rows * plane)
            for (index, n) in Parallel.split(g.batch, into: chunks, part: chunk).enumerated() {
                for group in 0..<g.groups {
                    let x = input + (n * g.inChannels + group * cg) * g.inPlane
                    let dy = gradOutput + (n * g.outChannels + group * mg) * plane
                    if let columns { Im2Col.unfold(g, channels: cg, input: x, columns: columns) }
                    // dW_group (+)= dy · columnsᵀ
                    Gemm.serial(transA: false, transB: true, m: mg, n: rows, k: plane, alpha: 1,
                               a: dy, lda: plane, b: columns.map { UnsafePointer($0) } ?? x, ldb: plane,
                               beta: index == 0 ? 0 : 1, c: dw + group * mg * rows, ldc: rows)
                }
            }
        }
        if let partials { addPartials(partials, chunks: chunks - 1, count: count, into: gradWeight) }
    }

    /// Runs `body(n, splitting)` for every sample n. From `splitBelowBatch` samples up, the samples
    /// are spread over the workers and each one's GEMMs run whole (`splitting` false); below it, the
    /// samples run one after another on the calling thread with each GEMM cut over the workers
    /// (`Gemm.sgemm`), so that a batch-1 inference uses every worker instead of one. The choice
    /// depends on the batch alone, so the results are the same for every thread count.
    static func forEachSample(_ batch: Int, _ body: (_ sample: Int, _ splitting: Bool) -> Void) {
        if batch < splitBelowBatch {
            for n in 0..<batch { body(n, true) }
        } else {
            Parallel.forEach(batch) { body($0, false) }
        }
    }

    /// Batches below this size cut each sample's GEMMs over the workers (`forEachSample`): `Gemm.sgemm`
    /// cuts up to 8 parts, so smaller batches would leave workers of an 8-thread pool idle.
    static let splitBelowBatch = 8

    /// How many partial weight gradients `backwardWeight` sums samples into.
    static let weightChunks = 8

    /// `total[i] += Σ_c partials[c·count + i]`, c in order, split over workers by index range.
    private static func addPartials(_ partials: UnsafePointer<Float>, chunks: Int, count: Int, into total: UnsafeMutablePointer<Float>) {
        let blocks = (count + 1023) / 1024
        Parallel.forEach(blocks) { block in
            let range = (block * 1024)..<min(count, block * 1024 + 1024)
            for c in 0..<chunks {
                let p = partials + c * count
                for i in range { total[i] += p[i] }
            }
        }
    }

    /// `gradBias[oc] = Σ_{n, position} gradOutput[n, oc, position]`, summed sample by sample.
    private static func sumBias(_ g: ConvGeometry, gradOutput: UnsafePointer<Float>, gradBias: UnsafeMutablePointer<Float>) {
        let plane = g.outPlane
        Parallel.forEach(g.outChannels) { oc in
            var total: Float = 0
            for n in 0..<g.batch {
                let dy = gradOutput + (n * g.outChannels + oc) * plane
                var sum: Float = 0
                for i in 0..<plane { sum += dy[i] }
                total += sum
            }
            gradBias[oc] = total
        }
    }
}

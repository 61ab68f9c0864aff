/// 1×1 convolutions (stride 1, no padding, one group) on small planes as one batch-wide GEMM per
/// pass instead of N per-sample GEMMs of P = H·W columns each: with P small, each per-sample call
/// re-packs the whole weight matrix for very little arithmetic (the fusion network's `Conv1d(k=1)`
/// on L = 16 positions, squeeze-and-excitation and feature-mix layers after global pooling, 1×1
/// convolutions on 2×2 and 4×4 planes). From 7×7 planes up the per-sample GEMMs win, layout copies
/// included (`hnas bench gemm --net avmnist-image-max`, BENCHMARKS.md 2026-12-06: forward, input and
/// weight gradients of the 7×7 layers 28.5 → 16.3 ms per step), so `maximumPlane` stops below them.
///
/// The input `[N, C, P]` is gathered channel-major into `[C, N·P]` (for P = 1 it already is the
/// row-major `[N × C]` matrix and nothing is copied), one GEMM runs over all samples in parts of whole
/// samples (`Gemm.sgemmColumnGroups`), and each part's block of the result is scattered back while it
/// is in cache, so the channel-major result never goes to memory. The copies cost C_in + C_out loads and
/// stores per position against C_in·C_out multiply-adds. The parts depend on the shape only, so the
/// results are the same for every thread count.
enum BatchedPointwiseConv {
    /// Planes up to this many positions take the batch-wide GEMM.
    static let maximumPlane = 32

    static func supports(_ g: ConvGeometry) -> Bool {
        g.isPointwise && g.groups == 1 && g.inPlane <= maximumPlane
    }

    /// `Y = W · X (+ bias)`, then the (ungated) `epilogue` on each output plane.
    static func forward(_ g: ConvGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                        bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>, epilogue: ChannelEpilogue? = nil) {
        let (n, cin, cout, p) = (g.batch, g.inChannels, g.outChannels, g.inPlane)
        if p == 1 {
            // [N × Cout] = [N × Cin] · Wᵀ
            Gemm.sgemm(transA: false, transB: true, m: n, n: cout, k: cin, alpha: 1,
                       a: input, lda: cin, b: weight, ldb: cin, beta: 0, c: output, ldc: cout)
            for s in 0..<n {
                if let bias { Vector.add(output + s * cout, bias, count: cout) }
                epilogue?.applyInPlace(channels: 0..<cout, plane: 1, to: output + s * cout)
            }
            return
        }
        product(input, channels: cin, output, rows: cout, weight: weight, batch: n, plane: p, bias: bias, epilogue: epilogue)
    }

    /// `dX = Wᵀ · dY`.
    static func backwardInput(_ g: ConvGeometry, gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                              gradInput: UnsafeMutablePointer<Float>) {
        backward(g, input: nil, gradOutput: gradOutput, weight: weight, gradInput: gradInput, gradWeight: nil)
    }

    /// `dW = dY · Xᵀ` summed over every sample and position in one GEMM.
    static func backwardWeight(_ g: ConvGeometry, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                               gradWeight: UnsafeMutablePointer<Float>) {
        backward(g, input: input, gradOutput: gradOutput, weight: nil, gradInput: nil, gradWeight: gradWeight)
    }

    /// Both gradients, each when given: `dX = Wᵀ · dY` into `gradInput` (which needs `weight`) and
    /// `dW = dY · Xᵀ` into `gradWeight` (which needs `input`), from one channel-major gather of dY.
    static func backward(_ g: ConvGeometry, input: UnsafePointer<Float>?, gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>?,
                         gradInput: UnsafeMutablePointer<Float>?, gradWeight: UnsafeMutablePointer<Float>?) {
        let (n, cin, cout, p) = (g.batch, g.inChannels, g.outChannels, g.inPlane)
        if p == 1 {
            // Already row-major matrices: [N × Cin] = [N × Cout] · W and [Cout × Cin] = [N × Cout]ᵀ · [N × Cin].
            if let gradInput, let weight {
                Gemm.sgemm(transA: false, transB: false, m: n, n: cin, k: cout, alpha: 1,
                           a: gradOutput, lda: cout, b: weight, ldb: cin, beta: 0, c: gradInput, ldc: cin)
            }
            if let gradWeight, let input {
                Gemm.sgemm(transA: true, transB: false, m: cout, n: cin, k: n, alpha: 1,
                           a: gradOutput, lda: cout, b: input, ldb: cin, beta: 0, c: gradWeight, ldc: cin)
            }
            return
        }
        let context = ThreadContext.current
        let dy = context.scratch(ScratchSlot.channelMajorOutput, count: cout * n * p)
        toChannelMajor(gradOutput, dy, batch: n, channels: cout, plane: p)
        if let gradInput, let weight {
            Gemm.sgemmColumnGroups(m: cin, k: cout, groups: n, width: p, a: weight, lda: cin, transposeA: true, b: dy) { samples, block, rowLength in
                fromChannelMajor(block: block, rowLength: rowLength, gradInput, samples: samples, channels: cin, plane: p, bias: nil, epilogue: nil)
            }
        }
        if let gradWeight, let input {
            let x = context.scratch(ScratchSlot.channelMajorInput, count: cin * n * p)
            toChannelMajor(input, x, batch: n, channels: cin, plane: p)
            Gemm.sgemm(transA: false, transB: true, m: cout, n: cin, k: n * p, alpha: 1,
                       a: dy, lda: n * p, b: x, ldb: n * p, beta: 0, c: gradWeight, ldc: cin)
        }
    }

    /// `target[N, rows, P] = W · source[N, channels, P] (+ bias)` through the channel-major layout: gather,
    /// one GEMM over all samples whose blocks are scattered back as they are computed.
    private static func product(_ source: UnsafePointer<Float>, channels: Int, _ target: UnsafeMutablePointer<Float>, rows: Int,
                                weight: UnsafePointer<Float>, batch: Int, plane: Int, bias: UnsafePointer<Float>?,
                                epilogue: ChannelEpilogue?) {
        let x = ThreadContext.current.scratch(ScratchSlot.channelMajorInput, count: channels * batch * plane)
        toChannelMajor(source, x, batch: batch, channels: channels, plane: plane)
        Gemm.sgemmColumnGroups(m: rows, k: channels, groups: batch, width: plane, a: weight, lda: channels, b: x) { samples, block, rowLength in
            fromChannelMajor(block: block, rowLength: rowLength, target, samples: samples, channels: rows, plane: plane, bias: bias, epilogue: epilogue)
        }
    }

    /// Channels moved together by the layout copies: for each sample, `channelTile` consecutive planes (one
    /// contiguous run of `[N, C, P]`) go to `channelTile` rows of `[C, N·P]`, so both sides are walked in runs
    /// of at least a kilobyte at P = 16 instead of one plane per page (a plane per sample is one cache line there).
    static let channelTile = 16

    /// `[N, C, P]` → `[C, N·P]`.
    static func toChannelMajor(_ source: UnsafePointer<Float>, _ target: UnsafeMutablePointer<Float>,
                               batch: Int, channels: Int, plane: Int) {
        forEachChannelTile(channels, batch: batch, plane: plane) { c0, c1 in
            for s in 0..<batch {
                for c in c0..<c1 {
                    copyPlane(source + (s * channels + c) * plane, target + (c * batch + s) * plane, count: plane)
                }
            }
        }
    }

    /// `[C, N·P]` → `[N, C, P]` for a block holding the columns of the samples in `samples` (C rows,
    /// `rowLength` floats apart), on the calling thread, adding `bias[c]` when given and applying `epilogue` (whose output has
    /// `epilogue.outputChannels(channels)` channels) on the way when given: the finish of one part of
    /// `Gemm.sgemmColumnGroups`, while its block is still in cache.
    static func fromChannelMajor(block source: UnsafePointer<Float>, rowLength: Int, _ target: UnsafeMutablePointer<Float>, samples: Range<Int>,
                                 channels: Int, plane: Int, bias: UnsafePointer<Float>?, epilogue: ChannelEpilogue?) {
        let outputs = epilogue?.outputChannels(channels) ?? channels
        let gate = epilogue == nil ? nil : ThreadContext.current.scratch(ScratchSlot.epilogueGate, count: channelTile * plane)
        for c0 in stride(from: 0, to: outputs, by: channelTile) {
            let c1 = Swift.min(outputs, c0 + channelTile)
            for (i, s) in samples.enumerated() {
                guard let epilogue, let gate else {
                    for c in c0..<c1 {
                        scatterPlane(source + c * rowLength + i * plane, target + (s * channels + c) * plane, count: plane, bias: bias?[c])
                    }
                    continue
                }
                // The tile's planes of sample s are one contiguous run of the output.
                epilogue.apply(channels: c0..<c1, plane: plane, to: target + (s * outputs + c0) * plane, gate: gate) { k, to in
                    scatterPlane(source + k * rowLength + i * plane, to, count: plane, bias: bias?[k])
                }
            }
        }
    }

    /// `to[i] = from[i] + bias` (a copy without bias).
    @inline(__always)
    private static func scatterPlane(_ from: UnsafePointer<Float>, _ to: UnsafeMutablePointer<Float>, count: Int, bias: Float?) {
        if let b = bias {
            let bv = Vector.V(repeating: b)
            Vector.map(from, to, count: count, { $0 + b }, { $0 + bv })
        } else {
            copyPlane(from, to, count: count)
        }
    }

    /// Runs `body(c0, c1)` for the channel tiles `[c0, c1)` of `channelTile` channels, split over the workers.
    private static func forEachChannelTile(_ channels: Int, batch: Int, plane: Int, _ body: (Int, Int) -> Void) {
        let tiles = (channels + channelTile - 1) / channelTile
        Tensor.parallelChunks(tiles, grain: Tensor.grain(itemSize: channelTile * batch * plane)) { range in
            for tile in range { body(tile * channelTile, Swift.min(channels, (tile + 1) * channelTile)) }
        }
    }

    /// Copies `count` floats; short planes in vector registers (no `memmove` call per plane).
    @inline(__always)
    private static func copyPlane(_ from: UnsafePointer<Float>, _ to: UnsafeMutablePointer<Float>, count: Int) {
        guard count <= 64 else { to.update(from: from, count: count); return }
        var i = 0
        while i + 8 <= count { Vector.store(Vector.load(from + i), to + i); i += 8 }
        while i < count { to[i] = from[i]; i += 1 }
    }
}

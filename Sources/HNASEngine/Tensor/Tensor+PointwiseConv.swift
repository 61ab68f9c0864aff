import Foundation

/// A 1×1 convolution of a channel concatenation, without building the concatenation.
extension Tensor {
    /// `weight · concat(inputs, channels) (+ bias)` position by position: PyTorch's
    /// `conv1d(torch.cat(inputs, 1), weight, bias)` with a kernel of 1 (or `conv2d` with 1×1).
    ///
    /// `inputs` are `[N, C_k, …]` with the same N and trailing dimensions; `weight` is `[O, ΣC_k]`
    /// followed by any number of 1s; `bias` is `[O]`. The result is `[N, O, …]`. The inputs are gathered
    /// channel-major into one `[ΣC, N·P]` matrix and multiplied in one GEMM (as `BatchedPointwiseConv`).
    ///
    /// An input passed more than once — the same tensor, i.e. the same storage and tape node, as DARTS
    /// mixed operations pass `op(v, v)` — is gathered once and its weight column blocks are summed first:
    /// `W_a·v + W_b·v = (W_a + W_b)·v`, so the forward and both backward products run on the distinct
    /// channels only (half the multiply-adds for `op(v, v)`). The result equals the concatenated
    /// convolution up to the rounding of that sum.
    /// With an `epilogue` (inference only), each output plane also goes through the epilogue — an
    /// evaluation-mode batch norm, its activation, a GLU — on its way out of the product, while the part
    /// of the product it comes from is still in cache: one pass over memory instead of three.
    /// - Throws: `HNASError` when the shapes do not fit together, or for an epilogue whose channel count
    ///   differs from O or an epilogue while gradients are being recorded.
    public static func pointwiseConv(_ inputs: [Tensor], weight: Tensor, bias: Tensor? = nil,
                                     epilogue: ChannelEpilogue? = nil) throws -> Tensor {
        guard let first = inputs.first, first.rank >= 2,
              inputs.allSatisfy({ $0.rank == first.rank && $0.shape[0] == first.shape[0] && $0.shape[2...] == first.shape[2...] }) else {
            throw HNASError.op("pointwiseConv", why: "inputs \(inputs.map(\.shape)) do not share [N, ·, …]")
        }
        let channels = inputs.map { $0.shape[1] }, total = channels.reduce(0, +)
        guard weight.rank >= 2, weight.shape[1] == total, weight.shape[2...].allSatisfy({ $0 == 1 }) else {
            throw HNASError.op("pointwiseConv", why: "weight \(weight.shape) is not [O, \(total), 1…] for inputs \(inputs.map(\.shape))")
        }
        let out = weight.shape[0]
        if let bias, bias.shape != [out] {
            throw HNASError.op("pointwiseConv", why: "bias \(bias.shape) does not match weight \(weight.shape)")
        }
        if let epilogue {
            guard epilogue.scale.count == out else {
                throw HNASError.op("pointwiseConv", why: "epilogue of \(epilogue.scale.count) channels for \(out) output channels")
            }
            guard !Autograd.isRecording else {
                throw HNASError.op("pointwiseConv", why: "an epilogue is not differentiable: run it without gradients")
            }
        }
        let plan = ConcatenationPlan(inputs)
        let n = first.shape[0], p = first.shape[2...].reduce(1, *), columns = n * p
        let outShape = [n, epilogue?.outputChannels(out) ?? out] + Array(first.shape[2...])
        let folded = plan.foldedWeight(weight, out: out)
        // The gathered input, shared by every product over the same inputs (DARTS applies several
        // operators to one mixed tensor) and kept by the tape for the weight gradient.
        let gathered = ChannelMajorCache.gathered(plan, batch: n, plane: p)
        let y = Tensor(shape: outShape) { y in
            let b = bias.map { UnsafePointer($0.storage.pointer) }
            folded.withUnsafeBufferPointer { w in
                Gemm.sgemmColumnGroups(m: out, k: plan.distinctChannels, groups: n, width: p, a: w.baseAddress!,
                                       lda: plan.distinctChannels, b: gathered.pointer) { samples, block, rowLength in
                    BatchedPointwiseConv.fromChannelMajor(block: block, rowLength: rowLength, y.baseAddress!, samples: samples, channels: out, plane: p,
                                                          bias: b, epilogue: epilogue)
                }
            }
        }
        if epilogue != nil { return y }
        let recorded = inputs + [weight] + (bias.map { [$0] } ?? [])
        return record("pointwiseConv", y, inputs: recorded) { g, needs in
            let context = ThreadContext.current
            let dy = context.scratch(ScratchSlot.channelMajorOutput, count: out * columns)
            g.withUnsafeBufferPointer { BatchedPointwiseConv.toChannelMajor($0.baseAddress!, dy, batch: n, channels: out, plane: p) }
            var grads = [Tensor?](repeating: nil, count: recorded.count)
            if needs[..<inputs.count].contains(true) {
                // Each distinct input's gradient is its rows of Wᵀ·dY, scattered block by block as the product runs.
                let targets = plan.distinct.map { k in needs[k] ? Tensor(shape: inputs[k].shape) { _ in } : nil }  // overwritten below
                folded.withUnsafeBufferPointer { w in
                    Gemm.sgemmColumnGroups(m: plan.distinctChannels, k: out, groups: n, width: p, a: w.baseAddress!,
                                           lda: plan.distinctChannels, transposeA: true, b: dy) { samples, block, rowLength in
                        for (d, k) in plan.distinct.enumerated() {
                            guard let target = targets[d] else { continue }
                            BatchedPointwiseConv.fromChannelMajor(block: block + plan.distinctOffsets[d] * rowLength, rowLength: rowLength,
                                                                  target.storage.pointer,
                                                                  samples: samples, channels: channels[k], plane: p, bias: nil, epilogue: nil)
                        }
                    }
                }
                for (d, k) in plan.distinct.enumerated() { grads[k] = targets[d] }
            }
            if needs[inputs.count] {
                let x = gathered.pointer
                var dwFolded = [Float](repeating: 0, count: out * plan.distinctChannels)
                dwFolded.withUnsafeMutableBufferPointer { dw in
                    Gemm.sgemm(transA: false, transB: true, m: out, n: plan.distinctChannels, k: columns, alpha: 1,
                               a: dy, lda: columns, b: x, ldb: columns, beta: 0, c: dw.baseAddress!, ldc: plan.distinctChannels)
                }
                grads[inputs.count] = plan.expandedWeightGradient(dwFolded, out: out, shape: weight.shape)
            }
            if bias != nil, needs[inputs.count + 1] {
                grads[inputs.count + 1] = Tensor(shape: [out]) { db in
                    for o in 0..<out { db[o] = Vector.sum(dy + o * columns, count: columns) }
                }
            }
            return grads
        }
    }
}

/// The channel-major gathers of `pointwiseConv`'s inputs, remembered for the next products over the same
/// inputs: a DARTS cell applies its 1×1 operators (LinearGLU, ConcatFC, CatConvMish) to one mixed tensor, so
/// the second and third product reuse the first one's gather. The cache holds the last gather together with
/// the input storages it was made from; holding them keeps them alive and shared, so they cannot be freed
/// and reused or changed in place (a write to a shared storage copies it first) while the entry exists.
enum ChannelMajorCache {
    private struct Entry {
        let sources: [TensorStorage]
        let shapes: [[Int]]
        let gathered: TensorStorage
    }

    private nonisolated(unsafe) static var last: Entry?
    private static let lock = NSLock()

    /// `[ΣC_distinct, N·P]` of the plan's distinct inputs: the remembered gather when the same inputs were
    /// gathered last, else a new one (which is then remembered).
    static func gathered(_ plan: ConcatenationPlan, batch: Int, plane: Int) -> TensorStorage {
        let sources = plan.distinct.map { plan.inputs[$0].storage }, shapes = plan.distinct.map { plan.inputs[$0].shape }
        lock.lock()
        let hit = last.flatMap { entry in
            entry.shapes == shapes && zip(entry.sources, sources).allSatisfy({ $0 === $1 }) ? entry.gathered : nil
        }
        lock.unlock()
        if let hit { return hit }
        let gathered = TensorStorage(uninitializedCount: plan.distinctChannels * batch * plane)
        plan.gather(gathered.pointer, batch: batch, plane: plane)
        lock.lock()
        last = Entry(sources: sources, shapes: shapes, gathered: gathered)
        lock.unlock()
        return gathered
    }
}

/// Which inputs of `pointwiseConv` are distinct (a repeated input is the same storage and tape node)
/// and where each one's channels sit in the concatenation and in the gathered matrix.
struct ConcatenationPlan {
    let inputs: [Tensor]
    /// The index of the first occurrence of each distinct input.
    let distinct: [Int]
    /// For every input, the index in `distinct` of its first occurrence.
    let occurrence: [Int]
    /// For every input, its first channel in the concatenation.
    let concatOffsets: [Int]
    /// For every distinct input, its first row in the gathered matrix.
    let distinctOffsets: [Int]
    let distinctChannels: Int

    init(_ inputs: [Tensor]) {
        self.inputs = inputs
        var distinct: [Int] = [], occurrence: [Int] = []
        for (k, t) in inputs.enumerated() {
            if let d = distinct.firstIndex(where: { j in
                let u = inputs[j]
                return u.storage === t.storage && u.node === t.node && u.shape == t.shape
            }) {
                occurrence.append(d)
            } else {
                occurrence.append(distinct.count)
                distinct.append(k)
            }
        }
        self.distinct = distinct
        self.occurrence = occurrence
        var offsets: [Int] = [], position = 0
        for t in inputs { offsets.append(position); position += t.shape[1] }
        concatOffsets = offsets
        var rows: [Int] = []
        position = 0
        for k in distinct { rows.append(position); position += inputs[k].shape[1] }
        distinctOffsets = rows
        distinctChannels = position
    }

    /// `[ΣC_distinct, N·P]` channel-major from the distinct inputs.
    func gather(_ target: UnsafeMutablePointer<Float>, batch: Int, plane: Int) {
        for (d, k) in distinct.enumerated() {
            inputs[k].withUnsafeBufferPointer { x in
                BatchedPointwiseConv.toChannelMajor(x.baseAddress!, target + distinctOffsets[d] * batch * plane,
                                                    batch: batch, channels: inputs[k].shape[1], plane: plane)
            }
        }
    }

    /// The weight `[O, ΣC]` with the column blocks of repeated inputs summed: `[O, ΣC_distinct]`.
    func foldedWeight(_ weight: Tensor, out: Int) -> Tensor {
        let total = concatOffsets.last! + inputs.last!.shape[1]
        if distinct.count == inputs.count { return weight }
        var folded = Tensor(zeros: [out, distinctChannels])
        folded.withUnsafeMutableBufferPointer { f in
            weight.withUnsafeBufferPointer { w in
                for o in 0..<out {
                    for (k, t) in inputs.enumerated() {
                        Vector.add(f.baseAddress! + o * distinctChannels + distinctOffsets[occurrence[k]],
                                   w.baseAddress! + o * total + concatOffsets[k], count: t.shape[1])
                    }
                }
            }
        }
        return folded
    }

    /// The weight gradient `[O, ΣC]` (in `shape`) from the folded one: each input's column block is
    /// its distinct input's block.
    func expandedWeightGradient(_ folded: [Float], out: Int, shape: [Int]) -> Tensor {
        let total = concatOffsets.last! + inputs.last!.shape[1]
        return Tensor(shape: shape) { dw in
            folded.withUnsafeBufferPointer { f in
                for o in 0..<out {
                    for (k, t) in inputs.enumerated() {
                        (dw.baseAddress! + o * total + concatOffsets[k])
                            .update(from: f.baseAddress! + o * distinctChannels + distinctOffsets[occurrence[k]], count: t.shape[1])
                    }
                }
            }
        }
    }
}

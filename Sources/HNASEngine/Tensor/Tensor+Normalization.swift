/// Batch normalisation (per channel, axis 1) and layer normalisation (over the last dimensions).
///
/// These are the functional forms; `BatchNorm` and `LayerNorm` layers hold the affine
/// parameters and running statistics and call them.
extension Tensor {
    /// The per-channel statistics of one training-mode batch norm forward.
    public struct BatchStatistics {
        /// Mean per channel [C].
        public var mean: Tensor
        /// Unbiased variance per channel [C] (what PyTorch folds into the running variance).
        public var unbiasedVariance: Tensor
        /// Elements per channel in the batch (N·H·W).
        public var count: Int
    }

    /// (N, C, inner) of a tensor normalised over axis 1.
    private func channelLayout(op: String) throws -> (Int, Int, Int) {
        guard rank >= 2 else { throw HNASError.op(op, why: "input \(shape) needs at least [N, C]") }
        return (shape[0], shape[1], shape[2...].reduce(1, *))
    }

    private static func checkAffine(_ t: Tensor?, _ name: String, channels: Int, input: [Int], op: String) throws {
        if let t, t.shape != [channels] {
            throw HNASError.op(op, why: "\(name) \(t.shape) does not match \(channels) channels of input \(input)")
        }
    }

    /// Training-mode batch norm of `x` [N, C, ...]: normalised with the batch's own mean and
    /// biased variance, then scaled by `weight` and shifted by `bias` (each [C], optional), then
    /// passed through `activation` (fused into the same pass for ReLU, ReLU6, h-swish, h-sigmoid, Mish).
    /// Returns the output and the batch statistics for the running averages.
    ///
    /// With a `reducer`, `x` is one process's shard of a global batch: the per-channel sums of the
    /// mean, of the squared deviations and, in the backward, of `dy` and `dy·x̂` are summed over
    /// all processes, so every shard is normalised (and differentiated) with the whole batch's
    /// statistics (synchronised BatchNorm; the returned statistics are the global ones).
    public static func batchNormTraining(_ x: Tensor, weight: Tensor?, bias: Tensor?, eps: Float,
                                         activation: Activation = .identity,
                                         reducer: BatchStatisticsReducer? = nil) throws -> (Tensor, BatchStatistics) {
        let (n, c, inner) = try x.channelLayout(op: "batchNorm")
        try checkAffine(weight, "weight", channels: c, input: x.shape, op: "batchNorm")
        try checkAffine(bias, "bias", channels: c, input: x.shape, op: "batchNorm")
        if let reducer { return try synchronizedBatchNormTraining(x, weight: weight, bias: bias, eps: eps, activation: activation, reducer: reducer) }
        let m = n * inner
        guard m > 1 else {
            throw HNASError.op("batchNorm", why: "training needs more than one value per channel, input is \(x.shape)")
        }
        var mean = [Float](repeating: 0, count: c), invStd = [Float](repeating: 0, count: c)
        var unbiased = [Float](repeating: 0, count: c)
        if inner <= ChannelSums.maximumPlane {
            x.withUnsafeBufferPointer { px in
                mean = ChannelSums.sums(px.baseAddress!, n: n, c: c, plane: inner).map { $0 / Float(m) }
                let squares = ChannelSums.sums(px.baseAddress!, n: n, c: c, plane: inner, center: mean)
                invStd = squares.map { 1 / ($0 / Float(m) + eps).squareRoot() }
                unbiased = squares.map { $0 / Float(m - 1) }
            }
        } else {
            x.withUnsafeBufferPointer { px in
                mean.withUnsafeMutableBufferPointer { mp in
                    invStd.withUnsafeMutableBufferPointer { ip in
                        unbiased.withUnsafeMutableBufferPointer { up in
                            Parallel.forEach(c) { ch in
                                var sum: Float = 0
                                for s in 0..<n { sum += Vector.sum(px.baseAddress! + (s * c + ch) * inner, count: inner) }
                                let mu = sum / Float(m)
                                var sq: Float = 0
                                for s in 0..<n { sq += Vector.sumSquaredDeviation(px.baseAddress! + (s * c + ch) * inner, mu, count: inner) }
                                mp[ch] = mu
                                ip[ch] = 1 / (sq / Float(m) + eps).squareRoot()
                                up[ch] = sq / Float(m - 1)
                            }
                        }
                    }
                }
            }
        }
        let stats = BatchStatistics(mean: try Tensor(shape: [c], scalars: mean),
                                    unbiasedVariance: try Tensor(shape: [c], scalars: unbiased), count: m)
        let y = normalizeRecorded(x, n: n, c: c, inner: inner, mean: mean, invStd: invStd, weight: weight, bias: bias,
                                  activation: activation, trainingMode: true)
        return (y, stats)
    }

    /// `batchNormTraining` of one shard with statistics summed over the processes by `reducer`
    /// (two passes, as the single-process form: the global mean first, then the squared deviations from it).
    private static func synchronizedBatchNormTraining(_ x: Tensor, weight: Tensor?, bias: Tensor?, eps: Float, activation: Activation,
                                                      reducer: BatchStatisticsReducer) throws -> (Tensor, BatchStatistics) {
        let (n, c, inner) = try x.channelLayout(op: "batchNorm")
        /// Per-channel Σ f(plane) over this shard's samples, then over all processes; `extra` is appended to the vector summed.
        func channelSums(extra: [Float], _ f: (UnsafePointer<Float>, Int) -> Float) -> [Float] {
            var sums = [Float](repeating: 0, count: c)
            x.withUnsafeBufferPointer { px in
                sums.withUnsafeMutableBufferPointer { sp in
                    Parallel.forEach(c) { ch in
                        var s: Float = 0
                        for sample in 0..<n { s += f(px.baseAddress! + (sample * c + ch) * inner, ch) }
                        sp[ch] = s
                    }
                }
            }
            sums += extra
            reducer.sum(&sums)
            return sums
        }
        // The element count travels with the sums (exact in Float below 2^24 elements per channel).
        let sums = channelSums(extra: [Float(n * inner)]) { p, _ in Vector.sum(p, count: inner) }
        let m = Int(sums[c])
        guard m > 1 else {
            throw HNASError.op("batchNorm", why: "training needs more than one value per channel, the global batch of \(x.shape) has \(m)")
        }
        let mean = (0..<c).map { sums[$0] / Float(m) }
        let squares = channelSums(extra: []) { p, ch in Vector.sumSquaredDeviation(p, mean[ch], count: inner) }
        let invStd = squares.map { 1 / ($0 / Float(m) + eps).squareRoot() }
        let stats = BatchStatistics(mean: try Tensor(shape: [c], scalars: mean),
                                    unbiasedVariance: try Tensor(shape: [c], scalars: squares.map { $0 / Float(m - 1) }), count: m)
        let y = normalizeRecorded(x, n: n, c: c, inner: inner, mean: mean, invStd: invStd, weight: weight, bias: bias,
                                  activation: activation, trainingMode: true, synchronized: (reducer, m))
        return (y, stats)
    }

    /// Inference-mode batch norm: normalised with the given (running) `mean` and `variance` [C],
    /// then `activation` (fused as in `batchNormTraining`).
    public static func batchNormInference(_ x: Tensor, weight: Tensor?, bias: Tensor?, mean: Tensor, variance: Tensor,
                                          eps: Float, activation: Activation = .identity) throws -> Tensor {
        let (n, c, inner) = try x.channelLayout(op: "batchNorm")
        try checkAffine(weight, "weight", channels: c, input: x.shape, op: "batchNorm")
        try checkAffine(bias, "bias", channels: c, input: x.shape, op: "batchNorm")
        try checkAffine(mean, "running mean", channels: c, input: x.shape, op: "batchNorm")
        try checkAffine(variance, "running variance", channels: c, input: x.shape, op: "batchNorm")
        let mu = mean.scalars
        let invStd = inverseStandardDeviations(variance.scalars, eps: eps)
        return normalizeRecorded(x, n: n, c: c, inner: inner, mean: mu, invStd: invStd, weight: weight, bias: bias,
                                 activation: activation, trainingMode: false)
    }

    /// `1/√(variance + eps)` per channel.
    static func inverseStandardDeviations(_ variance: [Float], eps: Float) -> [Float] {
        variance.map { 1 / ($0 + eps).squareRoot() }
    }

    /// Batch norm as a per-channel multiply-add `x·scale + shift`: `scale = invStd·weight`,
    /// `shift = bias − mean·scale` (shared by the op and the fused `ChannelEpilogue`, so both round alike).
    static func batchNormAffine(mean: [Float], invStd: [Float], weight: [Float], bias: [Float]) -> (scale: [Float], shift: [Float]) {
        let scale = mean.indices.map { invStd[$0] * weight[$0] }
        return (scale, mean.indices.map { bias[$0] - mean[$0] * scale[$0] })
    }

    /// `activation((x − mean)·invStd·weight + bias)` per channel, recorded with its backward.
    /// Fused activations (`FusedActivation`: piecewise ones and Mish) run on each plane right after its
    /// multiply-add (one pass over memory); their backward recomputes the pre-activation from x instead
    /// of storing it. `synchronized`: the reducer and global element count of a synchronised training-mode batch norm.
    private static func normalizeRecorded(_ x: Tensor, n: Int, c: Int, inner: Int, mean: [Float], invStd: [Float],
                                          weight: Tensor?, bias: Tensor?, activation: Activation, trainingMode: Bool,
                                          synchronized: (BatchStatisticsReducer, Int)? = nil) -> Tensor {
        let fused = FusedActivation(activation)
        let w = weight?.scalars ?? [Float](repeating: 1, count: c), b = bias?.scalars ?? [Float](repeating: 0, count: c)
        let (scale, shift) = batchNormAffine(mean: mean, invStd: invStd, weight: w, bias: b)
        let grain = Tensor.grain(itemSize: inner)
        let y = Tensor(shape: x.shape) { out in
            x.withUnsafeBufferPointer { px in
                Tensor.parallelChunks(n * c, grain: grain) { range in
                    inPlaneBlocks(range, inner: inner, { plane in
                        let ch = plane % c
                        Vector.scaleShift(px.baseAddress! + plane * inner, scale[ch], shift[ch], out.baseAddress! + plane * inner, count: inner)
                    }, { start, count in
                        fused?.forward(out.baseAddress! + start, out.baseAddress! + start, count: count)
                    })
                }
            }
        }
        let inputs = [x] + [weight, bias].compactMap { $0 }
        let normalized = record("batchNorm", y, inputs: inputs) { g, needs in
            var gz = g, sums: (dy: [Float], dyXhat: [Float]) = ([], [])
            if let fused {
                // gz = g · f′(z) with z = x·scale + shift recomputed plane by plane, each run of planes written
                // right before the gradient sums read it (from cache instead of a second pass over memory).
                gz = Tensor(shape: g.shape) { out in
                    g.withUnsafeBufferPointer { pg in
                        x.withUnsafeBufferPointer { px in
                            sums = gradientSums(UnsafePointer(out.baseAddress!), px.baseAddress!, n: n, c: c, inner: inner,
                                                mean: mean, invStd: invStd) { first, planes in
                                inPlaneBlocks(first..<(first + planes), inner: inner, { plane in
                                    let ch = plane % c
                                    Vector.scaleShift(px.baseAddress! + plane * inner, scale[ch], shift[ch], out.baseAddress! + plane * inner, count: inner)
                                }, { start, count in
                                    fused.backward(pg.baseAddress! + start, out.baseAddress! + start, out.baseAddress! + start, count: count)
                                })
                            }
                        }
                    }
                }
            } else {
                sums = g.withUnsafeBufferPointer { pg in
                    x.withUnsafeBufferPointer { px in
                        gradientSums(pg.baseAddress!, px.baseAddress!, n: n, c: c, inner: inner, mean: mean, invStd: invStd)
                    }
                }
            }
            // A fused activation's gz is this closure's own buffer: the input gradient overwrites it in place.
            let (dx, dw, db) = batchNormBackward(gz, x, sums: sums, n: n, c: c, inner: inner, mean: mean, invStd: invStd,
                                                 weight: weight, trainingMode: trainingMode, needsInput: needs[0],
                                                 overwritingGradient: fused != nil, synchronized: synchronized)
            return [dx] + (weight != nil ? [dw] : []) + (bias != nil ? [db] : [])
        }
        return fused == nil ? activation.apply(normalized) : normalized
    }

    /// Runs `perPlane(p)` for every plane p of `range`, then `perBlock(firstElement, elements)` over runs of
    /// planes of about 4 KB: an element-wise pass (a fused activation) follows the per-plane one while the run
    /// is still in L1, in one call per run instead of one per short plane. Both fused kinds compute every
    /// element the same way wherever a call starts, so the result does not depend on the runs.
    @inline(__always)
    private static func inPlaneBlocks(_ range: Range<Int>, inner: Int, _ perPlane: (Int) -> Void, _ perBlock: (Int, Int) -> Void) {
        let planesPerBlock = Swift.max(1, 1024 / Swift.max(inner, 1))
        var start = range.lowerBound
        while start < range.upperBound {
            let end = Swift.min(range.upperBound, start + planesPerBlock)
            for plane in start..<end { perPlane(plane) }
            perBlock(start * inner, (end - start) * inner)
            start = end
        }
    }

    /// The per-channel sums of batch norm's backward, `(Σ dy, Σ dy·x̂)`, over `g` (dy) and `x`. With
    /// `prepare`, `prepare(firstPlane, planes)` runs right before those planes of `g` are read, to write them.
    private static func gradientSums(_ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, n: Int, c: Int, inner: Int,
                                     mean: [Float], invStd: [Float],
                                     prepare: ((_ firstPlane: Int, _ planes: Int) -> Void)? = nil) -> (dy: [Float], dyXhat: [Float]) {
        if inner <= ChannelSums.maximumPlane {
            let (sums, dots) = ChannelSums.sumsAndDots(g, x, n: n, c: c, plane: inner, center: mean, prepare: prepare)
            return (sums, (0..<c).map { dots[$0] * invStd[$0] })
        }
        var sumDy = [Float](repeating: 0, count: c), sumDyXhat = [Float](repeating: 0, count: c)
        sumDy.withUnsafeMutableBufferPointer { sd in
            sumDyXhat.withUnsafeMutableBufferPointer { sx in
                Parallel.forEach(c) { ch in
                    var s: Float = 0, sxy: Float = 0
                    for sample in 0..<n {
                        prepare?(sample * c + ch, 1)
                        let off = (sample * c + ch) * inner
                        let (gs, gx) = Vector.sumAndDot(g + off, x + off, count: inner)
                        s += gs
                        sxy += gx - mean[ch] * gs
                    }
                    sd[ch] = s
                    sx[ch] = sxy * invStd[ch]
                }
            }
        }
        return (sumDy, sumDyXhat)
    }

    /// Gradients of batch norm from `g` (dy) and its `sums` (`gradientSums`): input (if needed), weight
    /// (Σ dy·x̂) and bias (Σ dy). Synchronised, the
    /// input gradient uses Σ dy and Σ dy·x̂ summed over all shards and the global count; the weight
    /// and bias gradients stay this shard's sums (data-parallel training sums them with the other gradients).
    /// `overwritingGradient`: `g` is a buffer no one else holds, and the input gradient is written over it (each
    /// element read right before it is written, so the pass moves a third less memory than into a fresh tensor).
    private static func batchNormBackward(_ g: Tensor, _ x: Tensor, sums: (dy: [Float], dyXhat: [Float]), n: Int, c: Int, inner: Int,
                                          mean: [Float], invStd: [Float], weight: Tensor?, trainingMode: Bool, needsInput: Bool,
                                          overwritingGradient: Bool = false,
                                          synchronized: (BatchStatisticsReducer, Int)?) -> (Tensor?, Tensor, Tensor) {
        let (sumDy, sumDyXhat) = sums
        let w = weight?.scalars ?? [Float](repeating: 1, count: c)
        var dx: Tensor?
        if needsInput {
            var m = Float(n * inner), totalDy = sumDy, totalDyXhat = sumDyXhat
            if trainingMode, let (reducer, count) = synchronized {
                var sums = sumDy + sumDyXhat
                reducer.sum(&sums)
                (m, totalDy, totalDyXhat) = (Float(count), Array(sums[..<c]), Array(sums[c...]))
            }
            // dx = w·invStd·(dy − Σdy/M − x̂·Σ(dy·x̂)/M)  (training); w·invStd·dy (inference).
            let a = (0..<c).map { w[$0] * invStd[$0] }
            let k = (0..<c).map { trainingMode ? totalDyXhat[$0] * invStd[$0] / m : 0 }
            let b = (0..<c).map { trainingMode ? totalDy[$0] / m - mean[$0] * k[$0] : 0 }
            func inputGradient(_ out: UnsafeMutablePointer<Float>) {
                let pg = UnsafePointer(g.storage.pointer)
                x.withUnsafeBufferPointer { px in
                    Tensor.parallelChunks(n * c, grain: Tensor.grain(itemSize: inner)) { range in
                        for plane in range {
                            let ch = plane % c, off = plane * inner
                            // a·(dy − k·x − b)
                            Vector.batchNormInputGrad(pg + off, px.baseAddress! + off, a: a[ch], k: k[ch], b: b[ch], out + off, count: inner)
                        }
                    }
                }
            }
            if overwritingGradient {
                inputGradient(g.storage.pointer)
                dx = g
            } else {
                dx = Tensor(shape: x.shape) { inputGradient($0.baseAddress!) }
            }
        }
        // Both vectors have exactly c elements.
        return (dx, try! Tensor(shape: [c], scalars: sumDyXhat), try! Tensor(shape: [c], scalars: sumDy))
    }

    /// Layer norm over the last `normalizedShape.count` dimensions (which must equal `normalizedShape`),
    /// with optional element-wise `weight` and `bias` of that shape. Biased variance, like PyTorch.
    public static func layerNorm(_ x: Tensor, normalizedShape: [Int], weight: Tensor?, bias: Tensor?, eps: Float = 1e-5) throws -> Tensor {
        let k = normalizedShape.count
        guard k >= 1, x.rank >= k, Array(x.shape.suffix(k)) == normalizedShape else {
            throw HNASError.op("layerNorm", why: "input \(x.shape) does not end with normalized shape \(normalizedShape)")
        }
        for (t, name) in [(weight, "weight"), (bias, "bias")] where t != nil && t!.shape != normalizedShape {
            throw HNASError.op("layerNorm", why: "\(name) \(t!.shape) does not match normalized shape \(normalizedShape)")
        }
        let d = normalizedShape.reduce(1, *), rows = x.count / Swift.max(d, 1)
        let grain = Tensor.grain(itemSize: d)
        var invStd = [Float](repeating: 0, count: rows)
        let affine = weight != nil || bias != nil
        // x̂ is kept for the backward only while recording; without it, each row is normalised and scaled
        // in place in the output while it is in cache.
        let keepsNormalized = affine && isRecording([x, weight, bias])
        let xhat: Tensor? = keepsNormalized ? Tensor(shape: x.shape) { _ in } : nil
        let y = Tensor(shape: x.shape) { out in
            let normalized = xhat.map { $0.storage.pointer } ?? out.baseAddress!
            x.withUnsafeBufferPointer { px in
                invStd.withUnsafeMutableBufferPointer { inverse in
                    // Rows are independent: split over the workers (each row's arithmetic is the same either way).
                    parallelChunks(rows, grain: grain) { range in
                        for r in range {
                            let h = normalized + r * d
                            inverse[r] = normalizeRow(px.baseAddress! + r * d, into: h, count: d, eps: eps)
                            if affine { applyLayerNormAffine(h, out.baseAddress! + r * d, count: d, weight: weight, bias: bias) }
                        }
                    }
                }
            }
        }
        let normalized = xhat ?? y
        let inputs = [x] + [weight, bias].compactMap { $0 }
        return record("layerNorm", y, inputs: inputs) { g, needs in
            layerNormBackward(g, xhat: normalized, invStd: invStd, rows: rows, d: d, weight: weight, hasBias: bias != nil,
                              needsInput: needs[0], normalizedShape: normalizedShape)
        }
    }

    /// One row of layer norm: `h = (p − mean)·invStd` over `d` elements (in place allowed); returns invStd.
    @inline(__always)
    private static func normalizeRow(_ p: UnsafePointer<Float>, into h: UnsafeMutablePointer<Float>, count d: Int, eps: Float) -> Float {
        let mu = Vector.sum(p, count: d) / Float(d)
        let inv = 1 / (Vector.sumSquaredDeviation(p, mu, count: d) / Float(d) + eps).squareRoot()
        Vector.scaleShift(p, inv, -mu * inv, h, count: d)
        return inv
    }

    /// `layerNorm` of one row in place, with its affine parameters (`Tensor.layerNormRows`).
    @inline(__always)
    static func normalizeRow(_ row: UnsafeMutablePointer<Float>, count d: Int, eps: Float, weight: Tensor?, bias: Tensor?) {
        _ = normalizeRow(row, into: row, count: d, eps: eps)
        applyLayerNormAffine(row, row, count: d, weight: weight, bias: bias)
    }

    /// `out = x̂·weight + bias` for one row (the product rounded, then the sum, as two broadcasts would).
    @inline(__always)
    private static func applyLayerNormAffine(_ h: UnsafePointer<Float>, _ o: UnsafeMutablePointer<Float>, count d: Int,
                                             weight: Tensor?, bias: Tensor?) {
        if let weight {
            Vector.zip(h, UnsafePointer(weight.storage.pointer), o, count: d, *, *)
            if let bias { Vector.add(o, UnsafePointer(bias.storage.pointer), count: d) }
        } else if let bias {
            Vector.zip(h, UnsafePointer(bias.storage.pointer), o, count: d, +, +)
        }
    }

    /// Gradients of `layerNorm`: per row ĝ = g·weight (in a per-thread row buffer),
    /// `dx = invStd·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂))`, rows split over the workers; then `dweight = Σ g·x̂`
    /// and `dbias = Σ g` split over the workers by columns, each column summed over the rows in order
    /// (so the sums are those of summing the broadcast products row by row, for any thread count).
    private static func layerNormBackward(_ g: Tensor, xhat: Tensor, invStd: [Float], rows: Int, d: Int, weight: Tensor?, hasBias: Bool,
                                          needsInput: Bool, normalizedShape: [Int]) -> [Tensor?] {
        // Fresh buffers written through their pointers below (dx row by row, every element).
        let dweight = weight.map { _ in Tensor(zeros: normalizedShape) }, dbias = hasBias ? Tensor(zeros: normalizedShape) : nil
        let dx: Tensor? = needsInput ? Tensor(shape: xhat.shape) { _ in } : nil
        g.withUnsafeBufferPointer { pg in
            xhat.withUnsafeBufferPointer { ph in
                if let dx {
                    parallelChunks(rows, grain: grain(itemSize: d)) { range in
                        let row = ThreadContext.current.scratch(ScratchSlot.partials, count: d)
                        for r in range {
                            let gp = pg.baseAddress! + r * d, hp = ph.baseAddress! + r * d
                            var gx = gp
                            if let weight {
                                weight.withUnsafeBufferPointer { Vector.zip(gp, $0.baseAddress!, row, count: d, *, *) }
                                gx = UnsafePointer(row)
                            }
                            let mg = Vector.sum(gx, count: d) / Float(d)
                            let mgh = Vector.dot(gx, hp, count: d) / Float(d)
                            Vector.batchNormInputGrad(gx, hp, a: invStd[r], k: mgh, b: mg, dx.storage.pointer + r * d, count: d)
                        }
                    }
                }
                guard dweight != nil || dbias != nil else { return }
                parallelChunks(d, grain: Swift.max(64, parallelGrain / Swift.max(rows, 1))) { columns in
                    let j = columns.lowerBound, n = columns.count
                    let product = ThreadContext.current.scratch(ScratchSlot.partials, count: n)
                    for r in 0..<rows {
                        let gp = pg.baseAddress! + r * d + j
                        if let dweight {
                            Vector.zip(gp, ph.baseAddress! + r * d + j, product, count: n, *, *)
                            Vector.add(dweight.storage.pointer + j, product, count: n)
                        }
                        if let dbias { Vector.add(dbias.storage.pointer + j, gp, count: n) }
                    }
                }
            }
        }
        return [dx] + (weight != nil ? [dweight] : []) + (hasBias ? [dbias] : [])
    }
}

extension Vector {
    /// `(Σ g, Σ g·x)` in one pass.
    static func sumAndDot(_ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, count: Int) -> (Float, Float) {
        var sg = V(repeating: 0), sgx = V(repeating: 0)
        var i = 0
        while i + 8 <= count {
            let gv = load(g + i)
            sg += gv
            sgx = sgx.addingProduct(gv, load(x + i))
            i += 8
        }
        var a = sg.sum(), b = sgx.sum()
        while i < count { a += g[i]; b += g[i] * x[i]; i += 1 }
        return (a, b)
    }

    /// `Σ (x − mu)²`.
    static func sumSquaredDeviation(_ x: UnsafePointer<Float>, _ mu: Float, count: Int) -> Float {
        let m = V(repeating: mu)
        var acc = V(repeating: 0)
        var i = 0
        while i + 8 <= count { let d = load(x + i) - m; acc = acc.addingProduct(d, d); i += 8 }
        var s = acc.sum()
        while i < count { let d = x[i] - mu; s += d * d; i += 1 }
        return s
    }

    /// `out = x·scale + shift`.
    static func scaleShift(_ x: UnsafePointer<Float>, _ scale: Float, _ shift: Float, _ out: UnsafeMutablePointer<Float>, count: Int) {
        let sv = V(repeating: scale), hv = V(repeating: shift)
        map(x, out, count: count, { $0 * scale + shift }, { hv.addingProduct($0, sv) })
    }

    /// `out = a·(g − k·x − b)`: the input gradient of batch and layer norm.
    static func batchNormInputGrad(_ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, a: Float, k: Float, b: Float,
                                   _ out: UnsafeMutablePointer<Float>, count: Int) {
        let av = V(repeating: a), kv = V(repeating: k), bv = V(repeating: b)
        zip(g, x, out, count: count, { g, x in a * (g - k * x - b) }, { g, x in av * (g - kv * x - bv) })
    }
}

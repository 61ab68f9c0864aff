import CKernels

/// Pooling over the spatial dimensions of NCHW tensors, and dropout.
extension Tensor {
    private func spatialLayout(op: String) throws -> (Int, Int, Int) {
        guard rank == 4 else { throw HNASError.op(op, why: "input \(shape) must be [N, C, H, W]") }
        return (shape[0] * shape[1], shape[2], shape[3])
    }

    /// The mean of every H×W plane: [N, C, H, W] → [N, C, 1, 1].
    public func globalAveragePool() throws -> Tensor {
        let (planes, h, w) = try spatialLayout(op: "globalAveragePool")
        let area = h * w, scale = 1 / Float(Swift.max(area, 1))
        let y = Tensor(shape: [shape[0], shape[1], 1, 1]) { out in
            withUnsafeBufferPointer { x in
                Tensor.parallelChunks(planes, grain: Tensor.grain(itemSize: area)) { range in
                    for p in range { out[p] = Vector.sum(x.baseAddress! + p * area, count: area) * scale }
                }
            }
        }
        let source = shape
        return Tensor.record("globalAveragePool", y, inputs: [self]) { g, _ in
            [Tensor(shape: source) { dx in
                g.withUnsafeBufferPointer { gp in
                    for p in 0..<planes { (dx.baseAddress! + p * area).initialize(repeating: gp[p] * scale, count: area) }
                }
            }]
        }
    }

    /// Adaptive average pooling to `outHeight`×`outWidth` (PyTorch's bins, see `adaptiveBins`).
    public func adaptiveAveragePool(outHeight: Int, outWidth: Int) throws -> Tensor {
        try adaptivePool(outHeight: outHeight, outWidth: outWidth, max: false)
    }

    /// Adaptive max pooling to `outHeight`×`outWidth` (PyTorch's bins); the gradient goes to the
    /// first maximal element of each bin.
    public func adaptiveMaxPool(outHeight: Int, outWidth: Int) throws -> Tensor {
        try adaptivePool(outHeight: outHeight, outWidth: outWidth, max: true)
    }

    /// PyTorch's adaptive bins: output index i of n covers input `floor(i·size/n) ..< ceil((i+1)·size/n)`.
    private static func adaptiveBins(_ size: Int, _ n: Int) -> [Range<Int>] {
        (0..<n).map { (($0 * size) / n)..<((($0 + 1) * size + n - 1) / n) }
    }

    private func adaptivePool(outHeight: Int, outWidth: Int, max: Bool) throws -> Tensor {
        let op = max ? "adaptiveMaxPool" : "adaptiveAveragePool"
        let (planes, h, w) = try spatialLayout(op: op)
        guard outHeight > 0, outWidth > 0 else {
            throw HNASError.op(op, why: "output size \(outHeight)×\(outWidth) must be positive (input \(shape))")
        }
        let rows = Tensor.adaptiveBins(h, outHeight), cols = Tensor.adaptiveBins(w, outWidth)
        // Each output reads its bin; `sources` lists (input index, weight) pairs for the backward.
        var sources = [[(Int, Float)]](repeating: [], count: planes * outHeight * outWidth)
        let y = Tensor(shape: [shape[0], shape[1], outHeight, outWidth]) { out in
            withUnsafeBufferPointer { x in
                for p in 0..<planes {
                    for (i, r) in rows.enumerated() {
                        for (j, c) in cols.enumerated() {
                            let o = (p * outHeight + i) * outWidth + j
                            let indices = r.flatMap { yy in c.map { (p * h + yy) * w + $0 } }
                            if max {
                                let best = indices.dropFirst().reduce(indices[0]) { x[$1] > x[$0] ? $1 : $0 }
                                out[o] = x[best]
                                sources[o] = [(best, 1)]
                            } else {
                                let weight = 1 / Float(indices.count)
                                out[o] = indices.reduce(Float(0)) { $0 + x[$1] } * weight
                                sources[o] = indices.map { ($0, weight) }
                            }
                        }
                    }
                }
            }
        }
        let source = shape
        return Tensor.record(op, y, inputs: [self]) { g, _ in
            var dx = Tensor(zeros: source)
            dx.withUnsafeMutableBufferPointer { d in
                g.withUnsafeBufferPointer { gp in
                    for (o, list) in sources.enumerated() {
                        for (index, weight) in list { d[index] += gp[o] * weight }
                    }
                }
            }
            return [dx]
        }
    }

    /// Max pooling with a square `kernel`, `stride` (default = kernel) and implicit −∞ `padding`.
    public func maxPool(kernel: Int, stride: Int? = nil, padding: Int = 0) throws -> Tensor {
        let (planes, h, w) = try spatialLayout(op: "maxPool")
        let s = stride ?? kernel
        guard kernel > 0, s > 0, padding >= 0, padding * 2 <= kernel, h + 2 * padding >= kernel, w + 2 * padding >= kernel else {
            throw HNASError.op("maxPool", why: "kernel \(kernel), stride \(s), padding \(padding) do not fit input \(shape)")
        }
        let oh = (h + 2 * padding - kernel) / s + 1, ow = (w + 2 * padding - kernel) / s + 1
        var argmax = [Int](repeating: 0, count: planes * oh * ow)
        let y = Tensor(shape: [shape[0], shape[1], oh, ow]) { out in
            withUnsafeBufferPointer { x in
                for p in 0..<planes {
                    for i in 0..<oh {
                        for j in 0..<ow {
                            var best = -Float.infinity, at = -1
                            for dy in 0..<kernel {
                                let yy = i * s - padding + dy
                                guard yy >= 0 && yy < h else { continue }
                                for dx in 0..<kernel {
                                    let xx = j * s - padding + dx
                                    guard xx >= 0 && xx < w else { continue }
                                    let idx = (p * h + yy) * w + xx
                                    if at < 0 || x[idx] > best { best = x[idx]; at = idx }
                                }
                            }
                            out[(p * oh + i) * ow + j] = best
                            argmax[(p * oh + i) * ow + j] = at
                        }
                    }
                }
            }
        }
        let source = shape
        return Tensor.record("maxPool", y, inputs: [self]) { g, _ in
            var dx = Tensor(zeros: source)
            dx.withUnsafeMutableBufferPointer { d in
                g.withUnsafeBufferPointer { gp in
                    for (o, at) in argmax.enumerated() { d[at] += gp[o] }
                }
            }
            return [dx]
        }
    }

    /// Inverted dropout: zeroes each element with probability `p` and scales the rest by 1/(1−p).
    ///
    /// The mask costs one draw from `generator` (a 64-bit key) per call: element j is kept when a
    /// counter-based hash of (key, j) — its top 24 bits as a uniform in [0, 1) — is at least `p`
    /// (`CKernels`' `hnas_ck_dropout`). So the same seed gives the same mask for every thread count, the
    /// mask is generated in vectors in parallel, and the backward pass regenerates it instead of storing it.
    /// (Element indices are taken modulo 2³².) With a `shard`, `self` holds the shard's rows (axis 0) of a
    /// global batch and element j is hashed at its index in the whole batch, so every rank uses the rows of
    /// the one mask a single process would draw.
    public func dropout(probability p: Float, generator: inout SeededGenerator, shard: BatchShard? = nil) throws -> Tensor {
        guard p >= 0 && p < 1 else {
            throw HNASError.op("dropout", why: "probability \(p) is outside [0, 1)")
        }
        if let shard, rank == 0 || shape[0] != shard.count {
            throw HNASError.op("dropout", why: "input \(shape) does not hold the \(shard.count) rows of its batch shard")
        }
        if p == 0 { return self }
        let key = generator.next(), scale = 1 / (1 - p)
        let first = (shard?.offset ?? 0) * (count / Swift.max(shape.first ?? 1, 1))
        let masked = { (t: Tensor) in
            t.kernelMapped { x, out, n in
                let index = first + UnsafePointer(t.storage.pointer).distance(to: x)
                hnas_ck_dropout(x, out, n, UInt32(truncatingIfNeeded: index), key, p, scale)
            }
        }
        return Tensor.record("dropout", masked(self), inputs: [self]) { g, _ in [masked(g)] }
    }
}

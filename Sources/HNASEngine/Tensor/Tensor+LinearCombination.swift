/// `Σ_k w[k]·t_k` as one differentiable op: DARTS-style mixed edges and mixed operations combine
/// their candidates with softmax weights this way.
extension Tensor {
    /// `Σ_k weights[k]·tensors[k]` for equally shaped tensors and `weights` with one element per
    /// tensor (any shape), differentiable in the weights and in every tensor. One pass over the
    /// candidates, with no stacked copy of them; the weights' gradients `⟨g, t_k⟩` are summed in
    /// fixed blocks in a fixed order, so the result is the same for every thread count.
    /// - Throws: `HNASError` when the tensors' shapes differ or the weights do not match their count.
    public static func linearCombination(_ tensors: [Tensor], weights: Tensor) throws -> Tensor {
        guard let first = tensors.first, weights.count == tensors.count,
              tensors.allSatisfy({ $0.shape == first.shape }) else {
            throw HNASError.op("linearCombination", why: "\(tensors.count) tensors of shapes \(tensors.map(\.shape)) with weights \(weights.shape)")
        }
        let w = weights.scalars
        let y = combined(tensors, weights: [w])[0]
        return record("linearCombination", y, inputs: tensors + [weights]) { g, needs in
            var grads: [Tensor?] = tensors.indices.map { k in needs[k] ? g.scaled(w[k]) : nil }
            grads.append(needs[tensors.count] ? dots(g, tensors, shape: weights.shape) : nil)
            return grads
        }
    }

    /// `[Σ_k weights[m][k]·tensors[k] for each m]` for equally shaped tensors, in one pass over them: each
    /// block of every tensor is read once for all the combinations (DARTS cells mix the same input nodes
    /// with a different weight row each). Every output gets `linearCombination`'s arithmetic, in the same
    /// order, so the same bits. Inference only: not differentiable.
    /// - Throws: `HNASError` when the shapes differ, a weight row's length differs from the tensor count,
    ///   or gradients are being recorded.
    public static func linearCombinations(_ tensors: [Tensor], weights: [[Float]]) throws -> [Tensor] {
        guard let first = tensors.first, tensors.allSatisfy({ $0.shape == first.shape }), weights.allSatisfy({ $0.count == tensors.count }) else {
            throw HNASError.op("linearCombinations", why: "\(tensors.count) tensors of shapes \(tensors.map(\.shape)) with weight rows of \(weights.map(\.count))")
        }
        guard !isRecording(tensors) else {
            throw HNASError.op("linearCombinations", why: "not differentiable: run it without gradients")
        }
        return combined(tensors, weights: weights)
    }

    /// `self += Σ_k weights[k]·tensors[k]`, adding the candidates in order as `linearCombination` does, so
    /// that continuing a `linearCombinations` output with more candidates gives `linearCombination`'s bits
    /// over all of them. Inference only: not differentiable.
    /// - Throws: `HNASError` when the shapes differ from this tensor's, the weights do not match the count,
    ///   or gradients are being recorded.
    public mutating func addLinearCombination(_ tensors: [Tensor], weights: [Float]) throws {
        guard tensors.allSatisfy({ $0.shape == shape }), weights.count == tensors.count else {
            throw HNASError.op("addLinearCombination", why: "\(tensors.count) tensors of shapes \(tensors.map(\.shape)) into \(shape) with \(weights.count) weights")
        }
        guard !Tensor.isRecording([self] + tensors) else {
            throw HNASError.op("addLinearCombination", why: "not differentiable: run it without gradients")
        }
        guard !tensors.isEmpty else { return }
        withUnsafeMutableBufferPointer { out in
            Tensor.withPointers(tensors) { sources in
                Tensor.forEachCombineBlock(out.count) { start, count in
                    Tensor.addScaled(sources, weights, candidates: sources.indices, into: out.baseAddress! + start, at: start, count: count)
                }
            }
        }
    }

    /// `Σ_k row[k]·tensors[k]` for each weight row, each block of every tensor read once for all rows: the
    /// forward of `linearCombination` and `linearCombinations`.
    private static func combined(_ tensors: [Tensor], weights: [[Float]]) -> [Tensor] {
        let outputs = weights.map { _ in Tensor(shape: tensors[0].shape) { _ in } }  // every element is written below
        withPointers(tensors) { sources in
            forEachCombineBlock(tensors[0].count) { start, count in
                for (output, w) in zip(outputs, weights) {
                    let o = output.storage.pointer + start
                    Vector.scaled(sources[0] + start, w[0], o, count: count)
                    addScaled(sources, w, candidates: 1..<sources.count, into: o, at: start, count: count)
                }
            }
        }
        return outputs
    }

    /// Runs `body(start, count)` over `0..<size` in blocks of `combineBlock` elements, split over the
    /// workers: the partial sums of a block stay in L1 while every candidate is added.
    private static func forEachCombineBlock(_ size: Int, _ body: (Int, Int) -> Void) {
        parallelChunks(size) { r in
            var start = r.lowerBound
            while start < r.upperBound {
                let count = Swift.min(combineBlock, r.upperBound - start)
                body(start, count)
                start += count
            }
        }
    }

    /// `o[i] += w[k]·sources[k][start + i]` for each k of `candidates` in order.
    @inline(__always)
    private static func addScaled(_ sources: [UnsafePointer<Float>], _ w: [Float], candidates: Range<Int>,
                                  into o: UnsafeMutablePointer<Float>, at start: Int, count: Int) {
        for k in candidates { Vector.addScaled(o, sources[k] + start, w[k], count: count) }
    }

    /// `[⟨g, t_k⟩]` with the given shape, summed over fixed blocks of `dotBlock` elements.
    private static func dots(_ g: Tensor, _ tensors: [Tensor], shape: [Int]) -> Tensor {
        let size = g.count, blocks = (size + dotBlock - 1) / dotBlock, k = tensors.count
        var partial = [Float](repeating: 0, count: blocks * k)
        g.withUnsafeBufferPointer { pg in
            withPointers(tensors) { sources in
                partial.withUnsafeMutableBufferPointer { part in
                    // Block by block, every tensor against the block of g while it is in cache.
                    Parallel.forEach(blocks) { b in
                        let start = b * dotBlock, count = Swift.min(dotBlock, size - start)
                        for t in 0..<k { part[t * blocks + b] = Vector.dot(pg.baseAddress! + start, sources[t] + start, count: count) }
                    }
                }
            }
        }
        let sums = (0..<k).map { t in partial[(t * blocks)..<((t + 1) * blocks)].reduce(0, +) }
        return Tensor(shape: shape, storage: sums.withUnsafeBufferPointer { TensorStorage(copying: $0) })
    }

    /// Elements per partial dot product of `linearCombination`'s weight gradient.
    private static let dotBlock = 1 << 14

    /// Elements of the forward's output combined from every candidate before moving on (16 KB).
    private static let combineBlock = 1 << 12

    /// Runs `body` with the base pointers of all `tensors`.
    private static func withPointers<R>(_ tensors: [Tensor], _ body: ([UnsafePointer<Float>]) -> R) -> R {
        // Tensors' storages are kept alive by `tensors` for the duration of the call.
        body(tensors.map { UnsafePointer($0.storage.pointer) })
    }
}

extension Vector {
    /// `out[i] = x[i]·s`.
    static func scaled(_ x: UnsafePointer<Float>, _ s: Float, _ out: UnsafeMutablePointer<Float>, count: Int) {
        let sv = V(repeating: s)
        map(x, out, count: count, { $0 * s }, { $0 * sv })
    }

    /// `dst[i] += x[i]·s`.
    static func addScaled(_ dst: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ s: Float, count: Int) {
        let sv = V(repeating: s)
        zip(dst, x, dst, count: count, { $0.addingProduct($1, s) }, { $0.addingProduct($1, sv) })
    }
}

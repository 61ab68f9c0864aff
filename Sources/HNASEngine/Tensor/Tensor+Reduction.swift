/// Reductions over axes: sum, mean, max. Differentiable.
extension Tensor {
    /// The sum over `axes` (all axes when empty); reduced dimensions are kept as 1 when `keepDims`.
    public func sum(axes: [Int] = [], keepDims: Bool = false) throws -> Tensor {
        try reduce(axes: axes, keepDims: keepDims, op: "sum") { try $0.sumAxis($1) }
    }

    /// The mean over `axes` (all axes when empty).
    public func mean(axes: [Int] = [], keepDims: Bool = false) throws -> Tensor {
        let reduced = try axesToReduce(axes, op: "mean")
        let n = reduced.map { shape[$0] }.reduce(1, *)
        return try sum(axes: reduced, keepDims: keepDims) * (1 / Float(Swift.max(n, 1)))
    }

    /// The maximum over `axes` (all axes when empty); the gradient goes to the first maximal element.
    public func max(axes: [Int] = [], keepDims: Bool = false) throws -> Tensor {
        try reduce(axes: axes, keepDims: keepDims, op: "max") { try $0.maxAxis($1) }
    }

    /// The index of the largest element along the last axis, per row (e.g. predicted classes
    /// from logits [N, C]); ties go to the first. Not differentiable.
    public func argmaxLastAxis() throws -> [Int] {
        guard rank >= 1, let n = shape.last, n > 0 else {
            throw HNASError.op("argmax", why: "needs a non-empty last axis, got shape \(shape)")
        }
        return withUnsafeBufferPointer { p in
            (0..<(count / n)).map { row in
                var best = 0
                for j in 1..<n where p[row * n + j] > p[row * n + best] { best = j }
                return best
            }
        }
    }

    private func axesToReduce(_ axes: [Int], op: String) throws -> [Int] {
        let list = try (axes.isEmpty ? Array(0..<rank) : axes).map { try normalizedAxis($0, op: op) }
        guard Set(list).count == list.count else {
            throw HNASError.op(op, why: "axes \(axes) repeat a dimension of shape \(shape)")
        }
        return list.sorted()
    }

    private func reduce(axes: [Int], keepDims: Bool, op: String, _ one: (Tensor, Int) throws -> Tensor) throws -> Tensor {
        let list = try axesToReduce(axes, op: op)
        var result = self
        for a in list.reversed() { result = try one(result, a) }
        if keepDims { return result }
        return try result.reshaped(shape.enumerated().filter { !list.contains($0.offset) }.map(\.element))
    }

    /// (outer, n, inner) view of the tensor around `axis`.
    private func around(_ axis: Int) -> (Int, Int, Int) {
        (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }

    /// Sum over one axis, keeping it as size 1.
    private func sumAxis(_ axis: Int) throws -> Tensor {
        let (outer, n, inner) = around(axis)
        var outShape = shape
        outShape[axis] = 1
        let y = Tensor(shape: outShape) { out in
            withUnsafeBufferPointer { x in
                Tensor.parallelChunks(outer, grain: Tensor.grain(itemSize: n * inner)) { range in
                    for o in range {
                        let dst = out.baseAddress! + o * inner, src = x.baseAddress! + o * n * inner
                        if inner == 1 {
                            dst[0] = Vector.sum(src, count: n)
                        } else {
                            dst.initialize(repeating: 0, count: inner)
                            for j in 0..<n { Vector.add(dst, src + j * inner, count: inner) }
                        }
                    }
                }
            }
        }
        let source = shape
        return Tensor.record("sum", y, inputs: [self]) { g, _ in [g.broadcast(to: source)] }
    }

    /// Max over one axis, keeping it as size 1.
    private func maxAxis(_ axis: Int) throws -> Tensor {
        let (outer, n, inner) = around(axis)
        guard n > 0 else { throw HNASError.op("max", why: "axis \(axis) of shape \(shape) is empty") }
        var outShape = shape
        outShape[axis] = 1
        var argmax = [Int](repeating: 0, count: outer * inner)
        let y = Tensor(shape: outShape) { out in
            withUnsafeBufferPointer { x in
                for o in 0..<outer {
                    for i in 0..<inner {
                        var best = x[o * n * inner + i], at = 0
                        for j in 1..<Swift.max(n, 1) where x[(o * n + j) * inner + i] > best {
                            best = x[(o * n + j) * inner + i]
                            at = j
                        }
                        out[o * inner + i] = best
                        argmax[o * inner + i] = at
                    }
                }
            }
        }
        let source = shape
        return Tensor.record("max", y, inputs: [self]) { g, _ in
            var dx = Tensor(zeros: source)
            dx.withUnsafeMutableBufferPointer { d in
                g.withUnsafeBufferPointer { gp in
                    for o in 0..<outer {
                        for i in 0..<inner { d[(o * n + argmax[o * inner + i]) * inner + i] = gp[o * inner + i] }
                    }
                }
            }
            return [dx]
        }
    }

    /// This tensor repeated along its size-1 (or missing leading) dimensions to `target`, without recording.
    func broadcast(to target: [Int]) -> Tensor {
        if shape == target { return self }
        guard let plan = Broadcast(target, shape), plan.shape == target else {
            preconditionFailure("\(shape) does not broadcast to \(target)")
        }
        let n = plan.inner, innerStride = plan.bStrides[plan.bStrides.count - 1]
        return Tensor(shape: target) { out in
            withUnsafeBufferPointer { src in
                for row in 0..<plan.outerCount {
                    let source = plan.offsets(row: row).1, o = out.baseAddress! + row * n
                    if innerStride == 1 {
                        o.initialize(from: src.baseAddress! + source, count: n)
                    } else {
                        o.initialize(repeating: src[source], count: n)
                    }
                }
            }
        }
    }
}

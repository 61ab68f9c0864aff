/// How two shapes broadcast (NumPy/PyTorch rules) and how to walk the result.
///
/// Dimensions are right-aligned; each pair must be equal or contain a 1. Adjacent dimensions
/// that broadcast the same way are merged, so `[N,C,H,W] * [N,C,1,1]` is walked as
/// `[N·C, H·W]` with the second operand repeating along the inner dimension.
struct Broadcast {
    /// The broadcast result shape.
    let shape: [Int]
    /// Merged dimensions (outermost first, at least one) and each operand's strides over them
    /// (0 along broadcast dimensions). The innermost stride is 0 or 1.
    let dims: [Int]
    let aStrides: [Int]
    let bStrides: [Int]

    /// The plan for `a op b`, or `nil` when the shapes do not broadcast.
    init?(_ a: [Int], _ b: [Int]) {
        let rank = max(a.count, b.count)
        let pa = [Int](repeating: 1, count: rank - a.count) + a
        let pb = [Int](repeating: 1, count: rank - b.count) + b
        var out: [Int] = []
        for (x, y) in zip(pa, pb) {
            guard x == y || x == 1 || y == 1 else { return nil }
            out.append(x == 1 ? y : x)
        }
        shape = out
        let sa = Broadcast.strides(pa, out), sb = Broadcast.strides(pb, out)
        // Merge from the inside out: dimension i joins the merged inner block when both operands
        // step through it as a continuation of that block.
        var dims: [Int] = [], stA: [Int] = [], stB: [Int] = []
        for i in stride(from: rank - 1, through: 0, by: -1) where out[i] != 1 {
            if let last = dims.indices.last,
               sa[i] == stA[last] * dims[last], sb[i] == stB[last] * dims[last] {
                dims[last] *= out[i]
            } else {
                dims.append(out[i]); stA.append(sa[i]); stB.append(sb[i])
            }
        }
        if dims.isEmpty { dims = [1]; stA = [0]; stB = [0] }
        self.dims = dims.reversed()
        aStrides = stA.reversed()
        bStrides = stB.reversed()
    }

    /// Contiguous strides of `shape`, 0 where it is broadcast to a larger `out` dimension.
    private static func strides(_ shape: [Int], _ out: [Int]) -> [Int] {
        var strides = [Int](repeating: 0, count: shape.count)
        var step = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[i] = shape[i] == 1 && out[i] != 1 ? 0 : step
            step *= shape[i]
        }
        return strides
    }

    /// The innermost merged length; the walk visits `outerCount` rows of it.
    var inner: Int { dims[dims.count - 1] }
    var outerCount: Int { dims.dropLast().reduce(1, *) }

    /// Offsets of outer row `row` into a and b.
    @inline(__always) func offsets(row: Int) -> (Int, Int) {
        var rest = row, oa = 0, ob = 0
        var d = dims.count - 2
        while d >= 0 {
            let i = rest % dims[d]
            rest /= dims[d]
            oa += i * aStrides[d]
            ob += i * bStrides[d]
            d -= 1
        }
        return (oa, ob)
    }
}

extension Tensor {
    /// Sums this tensor (a gradient of a broadcast result) down to `target`, the shape of an operand
    /// that was broadcast to this tensor's shape.
    func summed(toShape target: [Int]) -> Tensor {
        if target == shape { return self }
        guard let plan = Broadcast(target, shape), plan.shape == shape else {
            preconditionFailure("\(shape) is not a broadcast of \(target)")
        }
        var result = Tensor(zeros: target)
        let n = plan.inner, innerStride = plan.aStrides[plan.aStrides.count - 1]
        result.withUnsafeMutableBufferPointer { r in
            withUnsafeBufferPointer { g in
                for row in 0..<plan.outerCount {
                    let (ot, og) = plan.offsets(row: row)
                    if innerStride == 1 {
                        Vector.add(r.baseAddress! + ot, g.baseAddress! + og, count: n)
                    } else {
                        r[ot] += Vector.sum(g.baseAddress! + og, count: n)
                    }
                }
            }
        }
        return result
    }
}

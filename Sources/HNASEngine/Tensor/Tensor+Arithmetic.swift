/// Element-wise arithmetic with broadcasting, differentiable in both operands.
extension Tensor {
    /// Elements above which element-wise loops are split over `Parallel` workers.
    static let parallelGrain = 1 << 15

    /// The `parallelChunks` grain for a loop over items of `itemSize` elements each: as many items
    /// as make up `parallelGrain` elements, at least one.
    static func grain(itemSize: Int) -> Int { Swift.max(1, parallelGrain / Swift.max(itemSize, 1)) }

    /// `f` applied pairwise after broadcasting `a` and `b`, SIMD along the inner dimension.
    @inline(__always)
    static func broadcasting(_ a: Tensor, _ b: Tensor, op: String,
                             _ f: (Float, Float) -> Float, _ fv: (Vector.V, Vector.V) -> Vector.V) throws -> Tensor {
        if a.shape == b.shape {
            return Tensor(shape: a.shape) { out in
                a.withUnsafeBufferPointer { pa in
                    b.withUnsafeBufferPointer { pb in
                        parallelChunks(out.count) { r in
                            Vector.zip(pa.baseAddress! + r.lowerBound, pb.baseAddress! + r.lowerBound,
                                       out.baseAddress! + r.lowerBound, count: r.count, f, fv)
                        }
                    }
                }
            }
        }
        guard let plan = Broadcast(a.shape, b.shape) else {
            throw HNASError.op(op, why: "shapes \(a.shape) and \(b.shape) do not broadcast")
        }
        let n = plan.inner, sa = plan.aStrides.last!, sb = plan.bStrides.last!
        return Tensor(shape: plan.shape) { out in
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    let rows = plan.outerCount
                    parallelChunks(rows, grain: grain(itemSize: n)) { range in
                        for row in range {
                            let (oa, ob) = plan.offsets(row: row)
                            let x = pa.baseAddress! + oa, y = pb.baseAddress! + ob, o = out.baseAddress! + row * n
                            switch (sa, sb) {
                            case (1, 1): Vector.zip(x, y, o, count: n, f, fv)
                            case (1, _): Vector.zipScalarRight(x, y[0], o, count: n, f, fv)
                            case (_, 1): Vector.zipScalarLeft(x[0], y, o, count: n, f, fv)
                            default: for i in 0..<n { o[i] = f(x[0], y[0]) }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Runs `body` over contiguous sub-ranges of `0..<count`, in parallel when `count` is large.
    @inline(__always)
    static func parallelChunks(_ count: Int, grain: Int = parallelGrain, _ body: (Range<Int>) -> Void) {
        if count < 2 * grain {
            body(0..<count)
        } else {
            Parallel.forEachRange(count, body)
        }
    }

    /// Broadcasting sum.
    public static func + (a: Tensor, b: Tensor) throws -> Tensor {
        let value = try broadcasting(a, b, op: "add", +, +)
        let (sa, sb) = (a.shape, b.shape)
        return record("add", value, inputs: [a, b]) { g, needs in
            [needs[0] ? g.summed(toShape: sa) : nil, needs[1] ? g.summed(toShape: sb) : nil]
        }
    }

    /// Broadcasting difference.
    public static func - (a: Tensor, b: Tensor) throws -> Tensor {
        let value = try broadcasting(a, b, op: "sub", -, -)
        let (sa, sb) = (a.shape, b.shape)
        return record("sub", value, inputs: [a, b]) { g, needs in
            [needs[0] ? g.summed(toShape: sa) : nil, needs[1] ? g.scaled(-1).summed(toShape: sb) : nil]
        }
    }

    /// Broadcasting element-wise product.
    public static func * (a: Tensor, b: Tensor) throws -> Tensor {
        let value = try broadcasting(a, b, op: "mul", *, *)
        return record("mul", value, inputs: [a, b]) { g, needs in
            [needs[0] ? g.zipped(b, *, *).summed(toShape: a.shape) : nil,
             needs[1] ? g.zipped(a, *, *).summed(toShape: b.shape) : nil]
        }
    }

    /// Broadcasting element-wise quotient.
    public static func / (a: Tensor, b: Tensor) throws -> Tensor {
        let value = try broadcasting(a, b, op: "div", /, /)
        return record("div", value, inputs: [a, b]) { g, needs in
            let gOverB = g.zipped(b, /, /)
            return [needs[0] ? gOverB.summed(toShape: a.shape) : nil,
                    needs[1] ? gOverB.zipped(value, *, *).scaled(-1).summed(toShape: b.shape) : nil]
        }
    }

    /// Adds a constant to every element.
    public static func + (a: Tensor, s: Float) -> Tensor {
        let value = a.mapped({ $0 + s }, { $0 + Vector.V(repeating: s) })
        return record("add_scalar", value, inputs: [a]) { g, _ in [g] }
    }

    /// Subtracts a constant from every element.
    public static func - (a: Tensor, s: Float) -> Tensor { a + (-s) }

    /// Multiplies every element by a constant.
    public static func * (a: Tensor, s: Float) -> Tensor {
        record("mul_scalar", a.scaled(s), inputs: [a]) { g, _ in [g.scaled(s)] }
    }

    /// Multiplies every element by a constant.
    public static func * (s: Float, a: Tensor) -> Tensor { a * s }

    /// Divides every element by a constant.
    public static func / (a: Tensor, s: Float) -> Tensor { a * (1 / s) }

    /// Negation.
    public static prefix func - (a: Tensor) -> Tensor { a * -1 }

    /// `self * s` without recording (for backward passes and optimisers).
    func scaled(_ s: Float) -> Tensor {
        mapped({ $0 * s }, { $0 * Vector.V(repeating: s) })
    }

    /// `f` of every element, without recording.
    @inline(__always)
    func mapped(_ f: (Float) -> Float, _ fv: (Vector.V) -> Vector.V) -> Tensor {
        Tensor(shape: shape) { out in
            withUnsafeBufferPointer { x in
                Tensor.parallelChunks(count) { r in
                    Vector.map(x.baseAddress! + r.lowerBound, out.baseAddress! + r.lowerBound, count: r.count, f, fv)
                }
            }
        }
    }

    /// `f(self, other)` broadcast, for shapes already known to be compatible, without recording.
    @inline(__always)
    func zipped(_ other: Tensor, _ f: (Float, Float) -> Float, _ fv: (Vector.V, Vector.V) -> Vector.V) -> Tensor {
        do { return try Tensor.broadcasting(self, other, op: "internal", f, fv) } catch {
            preconditionFailure("internal broadcast of \(shape) and \(other.shape)")
        }
    }
}

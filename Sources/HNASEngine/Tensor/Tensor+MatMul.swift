/// Matrix products through `Gemm.sgemm`: `matmul` (plain and batched) and `linear`.
extension Tensor {
    /// `a · b` over the last two dimensions. `a` is [..., m, k]; `b` is [..., k, n] with the same
    /// leading (batch) dimensions, or [k, n] shared by every batch entry.
    public static func matmul(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        guard a.rank >= 2, b.rank >= 2, a.shape[a.rank - 1] == b.shape[b.rank - 2],
              b.rank == 2 || Array(a.shape.dropLast(2)) == Array(b.shape.dropLast(2)) else {
            throw HNASError.op("matmul", why: "shapes \(a.shape) and \(b.shape) cannot be multiplied")
        }
        let m = a.shape[a.rank - 2], k = a.shape[a.rank - 1], n = b.shape[b.rank - 1]
        let batches = a.shape.dropLast(2).reduce(1, *)
        let shared = b.rank == 2
        if shared {
            // [..., m, k] · [k, n] is one GEMM over all rows.
            let rows = batches * m
            let y = gemm(a, b, m: rows, n: n, k: k, transA: false, transB: false, shape: Array(a.shape.dropLast()) + [n])
            return record("matmul", y, inputs: [a, b]) { g, needs in
                [needs[0] ? gemm(g, b, m: rows, n: k, k: n, transA: false, transB: true, shape: a.shape) : nil,
                 needs[1] ? gemm(a, g, m: k, n: n, k: rows, transA: true, transB: false, shape: b.shape) : nil]
            }
        }
        let y = batchedGemm(a, b, batches: batches, m: m, n: n, k: k, transA: false, transB: false,
                            shape: Array(a.shape.dropLast()) + [n])
        return record("matmul", y, inputs: [a, b]) { g, needs in
            [needs[0] ? batchedGemm(g, b, batches: batches, m: m, n: k, k: n, transA: false, transB: true, shape: a.shape) : nil,
             needs[1] ? batchedGemm(a, g, batches: batches, m: k, n: n, k: m, transA: true, transB: false, shape: b.shape) : nil]
        }
    }

    /// `op(a) · op(b)` over the last two dimensions with the same leading (batch) dimensions, where op
    /// transposes the last two dimensions when asked: attention's `xᵀ·y` and `y·Aᵀ` without copying a
    /// transpose (the GEMMs read the operands transposed, forward and backward).
    /// - Throws: `HNASError` when the shapes cannot be multiplied.
    public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) throws -> Tensor {
        guard a.rank >= 2, a.rank == b.rank, Array(a.shape.dropLast(2)) == Array(b.shape.dropLast(2)) else {
            throw HNASError.op("matmul", why: "shapes \(a.shape) and \(b.shape) do not share their batch dimensions")
        }
        let (ar, ac, br, bc) = (a.shape[a.rank - 2], a.shape[a.rank - 1], b.shape[b.rank - 2], b.shape[b.rank - 1])
        let (m, k) = transposeA ? (ac, ar) : (ar, ac), (k2, n) = transposeB ? (bc, br) : (br, bc)
        guard k == k2 else {
            throw HNASError.op("matmul", why: "shapes \(a.shape)\(transposeA ? "ᵀ" : "") and \(b.shape)\(transposeB ? "ᵀ" : "") cannot be multiplied")
        }
        let batches = a.shape.dropLast(2).reduce(1, *)
        let y = batchedGemm(a, b, batches: batches, m: m, n: n, k: k, transA: transposeA, transB: transposeB,
                            shape: Array(a.shape.dropLast(2)) + [m, n])
        return record("matmul", y, inputs: [a, b]) { g, needs in
            // With Â = op(a), B̂ = op(b): dÂ = g·B̂ᵀ and dB̂ = Âᵀ·g, transposed back where op transposed.
            let da: Tensor? = !needs[0] ? nil : transposeA
                ? batchedGemm(b, g, batches: batches, m: k, n: m, k: n, transA: transposeB, transB: true, shape: a.shape)
                : batchedGemm(g, b, batches: batches, m: m, n: k, k: n, transA: false, transB: !transposeB, shape: a.shape)
            let db: Tensor? = !needs[1] ? nil : transposeB
                ? batchedGemm(g, a, batches: batches, m: n, n: k, k: m, transA: true, transB: transposeA, shape: b.shape)
                : batchedGemm(a, g, batches: batches, m: k, n: n, k: m, transA: !transposeA, transB: false, shape: b.shape)
            return [da, db]
        }
    }

    /// A fully connected layer: `x · weightᵀ + bias` for `x` [..., in], `weight` [out, in], `bias` [out].
    public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor? = nil) throws -> Tensor {
        guard x.rank >= 1, weight.rank == 2, x.shape[x.rank - 1] == weight.shape[1] else {
            throw HNASError.op("linear", why: "input \(x.shape) does not match weight \(weight.shape) ([out, in])")
        }
        let inFeatures = weight.shape[1], outFeatures = weight.shape[0], rows = x.count / Swift.max(inFeatures, 1)
        if let bias, bias.shape != [outFeatures] {
            throw HNASError.op("linear", why: "bias \(bias.shape) does not match weight \(weight.shape)")
        }
        var y = gemm(x, weight, m: rows, n: outFeatures, k: inFeatures, transA: false, transB: true,
                     shape: Array(x.shape.dropLast()) + [outFeatures])
        if let bias {
            y.withUnsafeMutableBufferPointer { out in
                bias.withUnsafeBufferPointer { b in
                    for r in 0..<rows { Vector.add(out.baseAddress! + r * outFeatures, b.baseAddress!, count: outFeatures) }
                }
            }
        }
        let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
        return record("linear", y, inputs: inputs) { g, needs in
            var grads: [Tensor?] = [
                needs[0] ? gemm(g, weight, m: rows, n: inFeatures, k: outFeatures, transA: false, transB: false, shape: x.shape) : nil,
                needs[1] ? gemm(g, x, m: outFeatures, n: inFeatures, k: rows, transA: true, transB: false, shape: weight.shape) : nil,
            ]
            if inputs.count == 3 {
                grads.append(needs[2] ? g.summed(toShape: [outFeatures]) : nil)
            }
            return grads
        }
    }

    /// `op(a) · op(b)` as an m×n result of the given shape (op = optional transpose), no recording.
    static func gemm(_ a: Tensor, _ b: Tensor, m: Int, n: Int, k: Int, transA: Bool, transB: Bool, shape: [Int]) -> Tensor {
        batchedGemm(a, b, batches: 1, m: m, n: n, k: k, transA: transA, transB: transB, shape: shape)
    }

    /// `batches` independent products of consecutive m×k (or k×m) and k×n (or n×k) blocks.
    static func batchedGemm(_ a: Tensor, _ b: Tensor, batches: Int, m: Int, n: Int, k: Int,
                            transA: Bool, transB: Bool, shape: [Int]) -> Tensor {
        Tensor(shape: shape) { c in
            guard k > 0 else { c.initialize(repeating: 0); return }
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    for i in 0..<batches {
                        Gemm.sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1,
                                   a: pa.baseAddress! + i * m * k, lda: transA ? m : k,
                                   b: pb.baseAddress! + i * k * n, ldb: transB ? k : n,
                                   beta: 0, c: c.baseAddress! + i * m * n, ldc: n)
                    }
                }
            }
        }
    }
}

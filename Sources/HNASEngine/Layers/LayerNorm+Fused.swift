/// Layer norms with the op before or after them folded in, for the shapes the DARTS fusion cells
/// and head use: `LN(x + residual)` (a cell's output) and `activation(LN(concat(parts)))` (the
/// head). Without gradients each row is assembled, normalised, scaled and activated in the output
/// while it is in cache — one pass over memory instead of two or three, with the same bits as the
/// separate ops. While recording they run as the separate ops.
extension LayerNorm {
    /// `self(x + residual)` for equally shaped tensors.
    /// - Throws: `HNASError` when the shapes differ or do not end with `normalizedShape`.
    public func callAsFunction(_ x: Tensor, adding residual: Tensor) throws -> Tensor {
        guard x.shape == residual.shape else {
            throw HNASError.op("layerNorm", why: "input \(x.shape) and residual \(residual.shape) differ")
        }
        guard fuses(x.shape, [x, residual], activation: .identity) else { return try self(x + residual) }
        let d = normalizedShape.reduce(1, *)
        return Tensor.layerNormRows(shape: x.shape, width: d, weight: weight?.value, bias: bias?.value, eps: eps, activation: nil) { r, row in
            Vector.zip(UnsafePointer(x.storage.pointer) + r * d, UnsafePointer(residual.storage.pointer) + r * d, row, count: d, +, +)
        }
    }

    /// `activation(self(concat(parts, axis: 1)))` for `[N, C_k, …]` parts whose concatenation is
    /// `[N] + normalizedShape`.
    /// - Throws: `HNASError` when the parts do not concatenate to that shape.
    public func callAsFunction(concatenating parts: [Tensor], activation: Activation = .identity) throws -> Tensor {
        let joined = try Tensor.concatenatedShape(parts, axis: 1)
        guard fuses(joined, parts, activation: activation), joined.count - 1 == normalizedShape.count else {
            return try activation.apply(self(Tensor.concat(parts, axis: 1)))
        }
        let widths = parts.map { $0.count / Swift.max(joined[0], 1) }
        return Tensor.layerNormRows(shape: joined, width: widths.reduce(0, +), weight: weight?.value, bias: bias?.value, eps: eps,
                                    activation: FusedActivation(activation)) { r, row in
            var offset = 0
            for (part, width) in zip(parts, widths) {
                (row + offset).update(from: UnsafePointer(part.storage.pointer) + r * width, count: width)
                offset += width
            }
        }
    }

    /// Whether the fused path applies: nothing recorded, the activation fuses, and `shape` ends with
    /// `normalizedShape` (else the separate ops run and report any mismatch).
    private func fuses(_ shape: [Int], _ inputs: [Tensor], activation: Activation) -> Bool {
        guard !Tensor.isRecording(inputs + [weight?.value, bias?.value]) else { return false }
        guard FusedActivation.fuses(activation) else { return false }
        return shape.count >= normalizedShape.count && Array(shape.suffix(normalizedShape.count)) == normalizedShape
    }
}

extension Tensor {
    /// A layer norm over rows of `width` elements that `fill(r, row)` writes into the output, then
    /// normalised there in place with `layerNorm`'s arithmetic (same bits), scaled, shifted and passed
    /// through `activation`. Not recorded.
    static func layerNormRows(shape: [Int], width d: Int, weight: Tensor?, bias: Tensor?, eps: Float, activation: FusedActivation?,
                              fill: (Int, UnsafeMutablePointer<Float>) -> Void) -> Tensor {
        let rows = shape.reduce(1, *) / Swift.max(d, 1)
        return Tensor(shape: shape) { out in
            parallelChunks(rows, grain: grain(itemSize: d)) { range in
                for r in range {
                    let row = out.baseAddress! + r * d
                    fill(r, row)
                    normalizeRow(row, count: d, eps: eps, weight: weight, bias: bias)
                    activation?.forward(row, row, count: d)
                }
            }
        }
    }
}

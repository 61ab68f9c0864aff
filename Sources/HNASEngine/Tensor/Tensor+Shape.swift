/// Shape ops: reshape, permute/transpose, slice, concat, split, pad. All differentiable.
extension Tensor {
    /// `axis` counted from the end when negative, checked against the rank.
    func normalizedAxis(_ axis: Int, op: String, rank: Int? = nil) throws -> Int {
        let r = rank ?? self.rank
        let a = axis < 0 ? axis + r : axis
        guard a >= 0 && a < r else {
            throw HNASError.op(op, why: "axis \(axis) is out of range for shape \(shape)")
        }
        return a
    }

    /// The same elements with a new shape (one dimension may be −1: inferred). Never copies.
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        var target = newShape
        let known = newShape.filter { $0 != -1 }.reduce(1, *)
        let inferred = newShape.filter { $0 == -1 }.count
        if inferred == 1, known > 0, count % known == 0, let i = newShape.firstIndex(of: -1) {
            target[i] = count / known
        }
        guard inferred <= 1, target.allSatisfy({ $0 >= 0 }), target.reduce(1, *) == count else {
            throw HNASError.op("reshape", why: "cannot reshape \(shape) to \(newShape)")
        }
        let source = shape
        return Tensor.record("reshape", Tensor(shape: target, storage: storage), inputs: [self]) { g, _ in
            [Tensor(shape: source, storage: g.storage)]
        }
    }

    /// Merges dimensions `from...` into one (default: all but the batch dimension).
    public func flattened(from axis: Int = 1) throws -> Tensor {
        let a = try normalizedAxis(axis, op: "flatten")
        return try reshaped(Array(shape[..<a]) + [shape[a...].reduce(1, *)])
    }

    /// Dimensions reordered: result dimension i is input dimension `order[i]`.
    public func permuted(_ order: [Int]) throws -> Tensor {
        guard order.count == rank, Set(order) == Set(0..<rank) else {
            throw HNASError.op("permute", why: "order \(order) is not a permutation of the dimensions of \(shape)")
        }
        let y = permutedValue(order)
        var inverse = [Int](repeating: 0, count: rank)
        for (i, o) in order.enumerated() { inverse[o] = i }
        return Tensor.record("permute", y, inputs: [self]) { g, _ in [g.permutedValue(inverse)] }
    }

    /// Swaps two dimensions.
    public func transposed(_ a: Int = -2, _ b: Int = -1) throws -> Tensor {
        let (x, y) = (try normalizedAxis(a, op: "transpose"), try normalizedAxis(b, op: "transpose"))
        var order = Array(0..<rank)
        order.swapAt(x, y)
        return try permuted(order)
    }

    private func permutedValue(_ order: [Int]) -> Tensor {
        let outShape = order.map { shape[$0] }
        var inStrides = [Int](repeating: 1, count: rank)
        for i in stride(from: rank - 2, through: 0, by: -1) { inStrides[i] = inStrides[i + 1] * shape[i + 1] }
        let strides = order.map { inStrides[$0] }
        guard rank > 0 else { return self }
        let inner = outShape[rank - 1], innerStride = strides[rank - 1]
        let rows = count / Swift.max(inner, 1)
        return Tensor(shape: outShape) { out in
            withUnsafeBufferPointer { src in
                Tensor.parallelChunks(rows, grain: Tensor.grain(itemSize: inner)) { range in
                    for row in range {
                        var rest = row, offset = 0
                        for d in stride(from: rank - 2, through: 0, by: -1) {
                            offset += (rest % outShape[d]) * strides[d]
                            rest /= outShape[d]
                        }
                        let o = out.baseAddress! + row * inner, s = src.baseAddress! + offset
                        for i in 0..<inner { o[i] = s[i * innerStride] }
                    }
                }
            }
        }
    }

    /// The elements with index in `range` along `axis` (a copy).
    public func slice(axis: Int, _ range: Range<Int>) throws -> Tensor {
        let a = try normalizedAxis(axis, op: "slice")
        guard range.lowerBound >= 0, range.upperBound <= shape[a] else {
            throw HNASError.op("slice", why: "range \(range) is out of bounds for axis \(axis) of shape \(shape)")
        }
        var offsets = [Int](repeating: 0, count: rank)
        offsets[a] = range.lowerBound
        var outShape = shape
        outShape[a] = range.count
        return try block(offsets: offsets, shape: outShape)
    }

    /// The block of `shape` starting at `offsets` (e.g. the first N channels, a centre crop).
    /// Gradients flow back into the block's positions of this tensor.
    public func block(offsets: [Int], shape blockShape: [Int]) throws -> Tensor {
        guard offsets.count == rank, blockShape.count == rank,
              zip(zip(offsets, blockShape), shape).allSatisfy({ $0.0 >= 0 && $0.1 >= 0 && $0.0 + $0.1 <= $1 }) else {
            throw HNASError.op("block", why: "block \(blockShape) at \(offsets) does not fit in shape \(shape)")
        }
        if blockShape == shape { return self }
        var y = Tensor(shape: blockShape) { _ in }  // the copy below fills it
        Tensor.copyBlock(from: self, at: offsets, to: &y, at: [Int](repeating: 0, count: rank), size: blockShape)
        let source = shape
        return Tensor.record("block", y, inputs: [self]) { g, _ in
            var full = Tensor(zeros: source)
            Tensor.copyBlock(from: g, at: [Int](repeating: 0, count: g.rank), to: &full, at: offsets, size: blockShape)
            return [full]
        }
    }

    /// Zero (or `value`) padding: `padding[i]` = (before, after) for dimension i; all dimensions given.
    public func padded(_ padding: [(before: Int, after: Int)], value: Float = 0) throws -> Tensor {
        guard padding.count == rank, padding.allSatisfy({ $0.before >= 0 && $0.after >= 0 }) else {
            throw HNASError.op("pad", why: "padding \(padding.map { [$0.before, $0.after] }) does not match shape \(shape)")
        }
        let outShape = zip(shape, padding).map { $0 + $1.before + $1.after }
        let offsets = padding.map(\.before)
        var y = Tensor(repeating: value, shape: outShape)
        Tensor.copyBlock(from: self, at: [Int](repeating: 0, count: rank), to: &y, at: offsets, size: shape)
        let size = shape
        return Tensor.record("pad", y, inputs: [self]) { g, _ in
            var inner = Tensor(zeros: size)
            Tensor.copyBlock(from: g, at: offsets, to: &inner, at: [Int](repeating: 0, count: size.count), size: size)
            return [inner]
        }
    }

    /// The shape of `concat(tensors, axis:)`.
    /// - Throws: `HNASError` when there are no tensors or their shapes differ outside `axis`.
    static func concatenatedShape(_ tensors: [Tensor], axis: Int) throws -> [Int] {
        guard let first = tensors.first else { throw HNASError.op("concat", why: "no tensors given") }
        let a = try first.normalizedAxis(axis, op: "concat")
        for t in tensors where t.rank != first.rank || zip(t.shape, first.shape).enumerated().contains(where: { $0.offset != a && $0.element.0 != $0.element.1 }) {
            throw HNASError.op("concat", why: "shapes \(first.shape) and \(t.shape) differ outside axis \(axis)")
        }
        var outShape = first.shape
        outShape[a] = tensors.map { $0.shape[a] }.reduce(0, +)
        return outShape
    }

    /// Joins tensors along `axis`; all other dimensions must agree.
    public static func concat(_ tensors: [Tensor], axis: Int) throws -> Tensor {
        let outShape = try concatenatedShape(tensors, axis: axis)
        let first = tensors[0], a = try first.normalizedAxis(axis, op: "concat")
        var y = Tensor(shape: outShape) { _ in }  // every element is copied in below
        var starts: [Int] = []
        var position = 0
        let zeros = [Int](repeating: 0, count: first.rank)
        for t in tensors {
            var at = zeros
            at[a] = position
            starts.append(position)
            copyBlock(from: t, at: zeros, to: &y, at: at, size: t.shape)
            position += t.shape[a]
        }
        let shapes = tensors.map(\.shape)
        return record("concat", y, inputs: tensors) { g, needs in
            zip(shapes, starts).enumerated().map { i, item in
                guard needs[i] else { return nil }
                var at = zeros
                at[a] = item.1
                var part = Tensor(shape: item.0) { _ in }  // the block is the whole part
                copyBlock(from: g, at: at, to: &part, at: zeros, size: item.0)
                return part
            }
        }
    }

    /// Stacks equal-shaped tensors along a new dimension at `axis`.
    public static func stack(_ tensors: [Tensor], axis: Int = 0) throws -> Tensor {
        guard let first = tensors.first else { throw HNASError.op("stack", why: "no tensors given") }
        let a = try first.normalizedAxis(axis, op: "stack", rank: first.rank + 1)
        for t in tensors where t.shape != first.shape {
            throw HNASError.op("stack", why: "shapes \(first.shape) and \(t.shape) differ")
        }
        var expanded = first.shape
        expanded.insert(1, at: a)
        return try concat(tensors.map { try $0.reshaped(expanded) }, axis: a)
    }

    /// Splits along `axis` into consecutive pieces of the given sizes (which must sum to the axis length).
    public func split(axis: Int, sizes: [Int]) throws -> [Tensor] {
        let a = try normalizedAxis(axis, op: "split")
        guard sizes.allSatisfy({ $0 >= 0 }), sizes.reduce(0, +) == shape[a] else {
            throw HNASError.op("split", why: "sizes \(sizes) do not add up to axis \(axis) of shape \(shape)")
        }
        var start = 0
        return try sizes.map { n in
            defer { start += n }
            return try slice(axis: a, start..<(start + n))
        }
    }

    /// Copies the block of `size` at `srcOffsets` in `src` to `dstOffsets` in `dst` (same rank).
    static func copyBlock(from src: Tensor, at srcOffsets: [Int], to dst: inout Tensor, at dstOffsets: [Int], size: [Int]) {
        let rank = size.count
        guard rank > 0 else {
            dst.withUnsafeMutableBufferPointer { d in d[0] = src.storage.pointer[0] }
            return
        }
        guard size.allSatisfy({ $0 > 0 }) else { return }
        func strides(_ shape: [Int]) -> [Int] {
            var s = [Int](repeating: 1, count: rank)
            for i in stride(from: rank - 2, through: 0, by: -1) { s[i] = s[i + 1] * shape[i + 1] }
            return s
        }
        let ss = strides(src.shape), ds = strides(dst.shape)
        let inner = size[rank - 1], rows = size.dropLast().reduce(1, *)
        let srcBase = zip(srcOffsets, ss).map(*).reduce(0, +), dstBase = zip(dstOffsets, ds).map(*).reduce(0, +)
        dst.withUnsafeMutableBufferPointer { d in
            src.withUnsafeBufferPointer { s in
                for row in 0..<rows {
                    var rest = row, so = srcBase, dO = dstBase
                    for dim in stride(from: rank - 2, through: 0, by: -1) {
                        let i = rest % size[dim]
                        rest /= size[dim]
                        so += i * ss[dim]
                        dO += i * ds[dim]
                    }
                    (d.baseAddress! + dO).update(from: s.baseAddress! + so, count: inner)
                }
            }
        }
    }
}

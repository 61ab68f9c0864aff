/// Output shapes of the ONNX operators (opset 17 semantics) that hnas's exported graphs use, with
/// the operand checks of each: what lets `InferenceGraph.check()` prove a graph consistent before
/// it is written. An operator not listed here is an error, so a graph can never contain an
/// operator nobody checked.
public enum GraphShapeInference {
    /// Operators whose output has its (first) input's shape.
    static let elementwise: Set<String> = ["Relu", "HardSwish", "HardSigmoid", "Sigmoid", "Tanh", "Softplus", "Erf", "Identity", "Cast"]

    /// Every operator type this inference (and so the exporter) supports.
    public static let supported: Set<String> = elementwise.union([
        "Clip", "Conv", "BatchNormalization", "LayerNormalization", "Softmax", "Add", "Mul", "GlobalAveragePool",
        "ReduceMean", "ReduceMax", "MaxPool", "Flatten", "Gemm", "MatMul", "Transpose", "Concat", "Reshape", "Slice",
    ])

    /// The shapes of `node`'s outputs given its operands' shapes; `constants` holds the graph's
    /// constants by name (the int64 operands of `Reshape` and `Slice` must be among them).
    /// - Throws: `HNASError` naming the node when the operator is unknown or an operand does not fit.
    public static func outputShapes(of node: GraphNode, operands: [GraphShape], constants: [String: GraphConstant]) throws -> [GraphShape] {
        let fail = { (why: String) in HNASError.op("\(node.opType) node '\(node.name)'", why: why) }
        func operandCount(_ range: ClosedRange<Int>) throws {
            guard range.contains(operands.count) else { throw fail("\(operands.count) operands, expected \(range)") }
        }
        func int64Operand(_ k: Int) throws -> [Int] {
            guard let values = constants[node.inputs[k]]?.int64Values else {
                throw fail("operand \(k) '\(node.inputs[k])' must be an int64 constant")
            }
            return values.map { Int($0) }
        }
        func axis(_ a: Int, rank: Int) throws -> Int {
            let resolved = a < 0 ? a + rank : a
            guard (0..<rank).contains(resolved) else { throw fail("axis \(a) is out of range for rank \(rank)") }
            return resolved
        }
        guard node.outputs.count == 1 else { throw fail("\(node.outputs.count) outputs, expected 1") }
        let x = operands.first ?? []
        switch node.opType {
        case _ where elementwise.contains(node.opType):
            try operandCount(1...1)
            return [x]
        case "Clip":
            try operandCount(1...3)
            for (k, bound) in operands.dropFirst().enumerated() where !bound.isEmpty {
                throw fail("bound \(k + 1) is \(bound.text), expected a scalar")
            }
            return [x]
        case "Softmax":
            try operandCount(1...1)
            _ = try axis(node.int("axis", default: -1), rank: x.count)
            return [x]
        case "Conv":
            return [try convolution(node, operands, fail)]
        case "BatchNormalization":
            try operandCount(5...5)
            guard x.count >= 2, let c = x[1].size else { throw fail("input \(x.text) has no fixed channel axis") }
            for (k, p) in operands.dropFirst().enumerated() where p != .fixed([c]) {
                throw fail("parameter \(k + 1) is \(p.text), expected [\(c)]")
            }
            return [x]
        case "LayerNormalization":
            try operandCount(2...3)
            let first = try axis(node.int("axis", default: -1), rank: x.count)
            let normalized = Array(x[first...])
            for (k, p) in operands.dropFirst().enumerated() where p != normalized {
                throw fail("parameter \(k + 1) is \(p.text), expected \(normalized.text)")
            }
            return [x]
        case "Add", "Mul":
            try operandCount(2...2)
            return [try broadcast(operands[0], operands[1], fail)]
        case "GlobalAveragePool":
            try operandCount(1...1)
            guard x.count >= 3 else { throw fail("input \(x.text) has no spatial axes") }
            return [Array(x.prefix(2)) + Array(repeating: .fixed(1), count: x.count - 2)]
        case "ReduceMean", "ReduceMax":
            try operandCount(1...1)
            guard let axes = node.ints("axes"), !axes.isEmpty else { throw fail("needs the axes attribute") }
            let reduced = Set(try axes.map { try axis($0, rank: x.count) })
            let keep = node.int("keepdims", default: 1) != 0
            return [x.enumerated().compactMap { i, d in reduced.contains(i) ? (keep ? .fixed(1) : nil) : d }]
        case "MaxPool":
            try operandCount(1...1)
            return [try pooling(node, x, fail)]
        case "Flatten":
            try operandCount(1...1)
            let split = node.int("axis", default: 1)
            guard (0...x.count).contains(split) else { throw fail("axis \(split) is out of range for rank \(x.count)") }
            return [[try product(Array(x[..<split]), fail), try product(Array(x[split...]), fail)]]
        case "Gemm":
            try operandCount(2...3)
            let (a, b) = (operands[0], operands[1])
            guard a.count == 2, b.count == 2, node.int("transA", default: 0) == 0 else { throw fail("operands \(a.text), \(b.text) are not matrices (transA unsupported)") }
            let transB = node.int("transB", default: 0) != 0
            let (k, n) = transB ? (b[1], b[0]) : (b[0], b[1])
            guard a[1] == k else { throw fail("inner sizes differ: \(a.text) × \(b.text)\(transB ? "ᵀ" : "")") }
            let out: GraphShape = [a[0], n]
            if operands.count == 3 {
                let c = try broadcast(out, operands[2], fail)
                guard c == out else { throw fail("bias \(operands[2].text) does not broadcast to \(out.text)") }
            }
            return [out]
        case "MatMul":
            try operandCount(2...2)
            let (a, b) = (operands[0], operands[1])
            guard a.count >= 2, b.count >= 2 else { throw fail("operands \(a.text), \(b.text) are not matrices") }
            guard a[a.count - 1] == b[b.count - 2] else { throw fail("inner sizes differ: \(a.text) × \(b.text)") }
            let stack = try broadcast(Array(a.dropLast(2)), Array(b.dropLast(2)), fail)
            return [stack + [a[a.count - 2], b[b.count - 1]]]
        case "Transpose":
            try operandCount(1...1)
            guard let perm = node.ints("perm"), perm.sorted() == Array(0..<x.count) else { throw fail("perm is not a permutation of 0..<\(x.count)") }
            return [perm.map { x[$0] }]
        case "Concat":
            guard !operands.isEmpty else { throw fail("no operands") }
            let a = try axis(node.int("axis", default: 0), rank: x.count)
            var total = 0
            for shape in operands {
                guard shape.count == x.count, zip(shape, x).enumerated().allSatisfy({ $0.offset == a || $0.element.0 == $0.element.1 }) else {
                    throw fail("operands \(operands.map(\.text).joined(separator: ", ")) differ off axis \(a)")
                }
                guard let n = shape[a].size else { throw fail("cannot concatenate along the batch axis") }
                total += n
            }
            var out = x
            out[a] = .fixed(total)
            return [out]
        case "Reshape":
            try operandCount(2...2)
            return [try reshape(x, try int64Operand(1), fail)]
        case "Slice":
            try operandCount(3...4)
            let starts = try int64Operand(1), ends = try int64Operand(2)
            let axes = operands.count == 4 ? try int64Operand(3) : Array(0..<starts.count)
            guard starts.count == ends.count, axes.count == starts.count else { throw fail("starts, ends and axes differ in length") }
            var out = x
            for (k, a) in axes.enumerated() {
                let i = try axis(a, rank: x.count)
                guard let n = x[i].size else { throw fail("cannot slice the batch axis") }
                func clamp(_ v: Int) -> Int { min(max(v < 0 ? v + n : v, 0), n) }
                let length = clamp(ends[k]) - clamp(starts[k])
                guard length > 0 else { throw fail("slice \(starts[k])..<\(ends[k]) of axis \(i) (size \(n)) is empty") }
                out[i] = .fixed(length)
            }
            return [out]
        default:
            throw HNASError.op("\(node.opType) node '\(node.name)'",
                               why: "operator '\(node.opType)' has no ONNX mapping in hnas (supported: \(supported.sorted().joined(separator: ", ")))")
        }
    }

    /// `Conv` (no dilation): `[N, C, s…] ∗ [M, C/group, k…]` → `[N, M, ⌊(s + pads − k)/stride⌋ + 1 …]`.
    private static func convolution(_ node: GraphNode, _ operands: [GraphShape], _ fail: (String) -> HNASError) throws -> GraphShape {
        guard (2...3).contains(operands.count) else { throw fail("\(operands.count) operands, expected 2 or 3") }
        let (x, w) = (operands[0], operands[1])
        let spatial = x.count - 2
        guard spatial >= 1, w.count == x.count, let c = x[1].size, let m = w[0].size, let wc = w[1].size else {
            throw fail("input \(x.text) and weight \(w.text) are not [N, C, …] and [M, C/group, …]")
        }
        let group = node.int("group", default: 1)
        guard group >= 1, c % group == 0, m % group == 0, wc == c / group else {
            throw fail("weight \(w.text) does not fit input \(x.text) with group \(group)")
        }
        if operands.count == 3, operands[2] != .fixed([m]) { throw fail("bias \(operands[2].text) is not [\(m)]") }
        let kernel = w.dropFirst(2).map { $0.size! }
        if let declared = node.ints("kernel_shape"), declared != kernel { throw fail("kernel_shape \(declared) differs from the weight's \(kernel)") }
        return [x[0], .fixed(m)] + (try window(node, x, kernel: kernel, fail))
    }

    /// `MaxPool` without dilation or ceil mode.
    private static func pooling(_ node: GraphNode, _ x: GraphShape, _ fail: (String) -> HNASError) throws -> GraphShape {
        guard let kernel = node.ints("kernel_shape"), kernel.count == x.count - 2 else { throw fail("kernel_shape does not fit input \(x.text)") }
        return Array(x.prefix(2)) + (try window(node, x, kernel: kernel, fail))
    }

    /// Spatial output sizes of a sliding window with the node's `strides` and `pads`.
    private static func window(_ node: GraphNode, _ x: GraphShape, kernel: [Int], _ fail: (String) -> HNASError) throws -> GraphShape {
        let spatial = kernel.count
        let strides = node.ints("strides") ?? Array(repeating: 1, count: spatial)
        let pads = node.ints("pads") ?? Array(repeating: 0, count: 2 * spatial)
        guard strides.count == spatial, pads.count == 2 * spatial, strides.allSatisfy({ $0 >= 1 }) else {
            throw fail("strides \(strides) / pads \(pads) do not fit \(spatial) spatial axes")
        }
        return try (0..<spatial).map { i in
            guard let size = x[2 + i].size else { throw fail("spatial axis \(i) of \(x.text) is not fixed") }
            let span = size + pads[i] + pads[spatial + i] - kernel[i]
            guard span >= 0 else { throw fail("window \(kernel[i]) is larger than the padded axis \(size)") }
            return .fixed(span / strides[i] + 1)
        }
    }

    /// NumPy broadcasting; the batch axis meets only itself or 1.
    private static func broadcast(_ a: GraphShape, _ b: GraphShape, _ fail: (String) -> HNASError) throws -> GraphShape {
        let rank = max(a.count, b.count)
        let pa = Array(repeating: GraphDimension.fixed(1), count: rank - a.count) + a
        let pb = Array(repeating: GraphDimension.fixed(1), count: rank - b.count) + b
        return try zip(pa, pb).map { x, y in
            if x == y { return x }
            if x == .fixed(1) { return y }
            if y == .fixed(1) { return x }
            throw fail("shapes \(a.text) and \(b.text) do not broadcast")
        }
    }

    /// The product of `dims`: the batch axis alone, or a fixed size.
    private static func product(_ dims: GraphShape, _ fail: (String) -> HNASError) throws -> GraphDimension {
        if dims == [.batch] { return .batch }
        guard dims.allSatisfy({ $0.size != nil }) else { throw fail("cannot merge the batch axis with fixed axes \(dims.text)") }
        return .fixed(dims.reduce(1) { $0 * $1.size! })
    }

    /// `Reshape` with target entries > 0 or 0 (copy the input's axis, how the batch axis passes through).
    private static func reshape(_ x: GraphShape, _ target: [Int], _ fail: (String) -> HNASError) throws -> GraphShape {
        let out: GraphShape = try target.enumerated().map { i, v in
            if v == 0 {
                guard i < x.count else { throw fail("target \(target) copies axis \(i) that \(x.text) lacks") }
                return x[i]
            }
            guard v > 0 else { throw fail("target \(target) has \(v); only sizes and 0 (copy) are used") }
            return .fixed(v)
        }
        let batches = { (s: GraphShape) in s.filter { $0 == .batch }.count }
        let sizes = { (s: GraphShape) in s.compactMap(\.size).reduce(1, *) }
        guard batches(out) == batches(x), sizes(out) == sizes(x) else {
            throw fail("cannot reshape \(x.text) to \(out.text)")
        }
        return out
    }
}

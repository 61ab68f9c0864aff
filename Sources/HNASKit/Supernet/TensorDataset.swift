/// A labelled single-input data split held in memory: inputs stacked as [N, C, H, W] and one class
/// index per sample (or, for multi-label data such as MM-IMDB, a multi-hot row per sample).
/// Supernet training and subnet evaluation draw their batches from it (`LabelledSplit`), so batch order
/// depends only on a `SeededGenerator` (exact `--resume`), not on a loader's threads.
public struct TensorDataset: LabelledSplit {
    public let inputs: Tensor
    /// Class indices (empty for multi-label data).
    public let labels: [Int]
    /// Multi-hot targets [N, labels] of multi-label data, else nil.
    public let multiHot: Tensor?

    /// Single-label data.
    /// - Throws: `HNASError` when `inputs` is not [N, …] with N = `labels.count` or a label is negative.
    public init(inputs: Tensor, labels: [Int]) throws {
        guard inputs.rank >= 2, inputs.shape[0] == labels.count, labels.allSatisfy({ $0 >= 0 }) else {
            throw HNASError.argument("dataset", why: "inputs \(inputs.shape) do not match \(labels.count) non-negative labels")
        }
        self.inputs = inputs
        self.labels = labels
        multiHot = nil
    }

    /// Multi-label data.
    /// - Throws: `HNASError` when `multiHot` is not [N, L] with N samples of `inputs`.
    public init(inputs: Tensor, multiHot: Tensor) throws {
        guard inputs.rank >= 2, multiHot.rank == 2, multiHot.shape[0] == inputs.shape[0] else {
            throw HNASError.argument("dataset", why: "inputs \(inputs.shape) do not match multi-hot targets \(multiHot.shape)")
        }
        self.inputs = inputs
        labels = []
        self.multiHot = multiHot
    }

    public var count: Int { inputs.shape[0] }
    /// The shape of one sample.
    public var sampleShape: [Int] { Array(inputs.shape.dropFirst()) }

    /// The samples at `indices`, stacked, with their class labels (none for multi-label data).
    public func batch(_ indices: [Int]) -> (inputs: Tensor, labels: [Int]) {
        (Self.rows(indices, of: inputs), labels(indices))
    }

    /// The samples at `rows`, stacked.
    public func inputs(_ rows: [Int]) -> Tensor { Self.rows(rows, of: inputs) }

    /// Rows `indices` of `tensor` (first axis), stacked in that order.
    static func rows(_ indices: [Int], of tensor: Tensor) -> Tensor {
        let rowShape = Array(tensor.shape.dropFirst()), count = tensor.shape[0]
        let size = rowShape.reduce(1, *)
        return Tensor(shape: [indices.count] + rowShape) { out in
            tensor.withUnsafeBufferPointer { src in
                for (row, i) in indices.enumerated() {
                    precondition(i >= 0 && i < count, "sample \(i) out of \(count)")
                    out.baseAddress!.advanced(by: row * size).update(from: src.baseAddress!.advanced(by: i * size), count: size)
                }
            }
        }
    }

    /// `LabelledSplit.sequentialBatches(size:)` of any `count` samples.
    public static func sequentialBatches(count: Int, size: Int) -> [[Int]] {
        stride(from: 0, to: count, by: size).map { Array($0..<Swift.min($0 + size, count)) }
    }

    /// `LabelledSplit.shuffledBatches(size:using:)` of any `count` samples: the same batches for the same generator state.
    public static func shuffledBatches(count: Int, size: Int, using generator: inout SeededGenerator) -> [[Int]] {
        var order = Array(0..<count)
        generator.shuffle(&order)
        let size = Swift.min(size, count)
        return stride(from: 0, through: count - size, by: size).map { Array(order[$0..<$0 + size]) }
    }
}

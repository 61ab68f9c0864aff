/// A labelled split of one input that supernet training and subnet evaluation draw their batches from: held in
/// memory (`TensorDataset`) or decoded from the dataset's files batch by batch (a streamed `InputSplit`, e.g.
/// MM-IMDB's posters, ≈ 9 GB decoded for the training split), so a trainer never needs a split's inputs at once.
///
/// Batches are index lists drawn from a `SeededGenerator` (`shuffledBatches`), so both kinds give the same batches,
/// and the same training, for the same seed.
public protocol LabelledSplit {
    /// The number of samples.
    var count: Int { get }
    /// The shape of one decoded input.
    var sampleShape: [Int] { get }
    /// Class indices (empty for multi-label data).
    var labels: [Int] { get }
    /// Multi-hot targets [N, labels] of multi-label data, else nil.
    var multiHot: Tensor? { get }
    /// The inputs of the samples at `rows`, stacked [rows.count, …] in that order.
    /// - Throws: `HNASError` when a sample cannot be decoded.
    func inputs(_ rows: [Int]) throws -> Tensor
}

extension LabelledSplit {
    /// Whether samples carry multi-hot targets rather than one class index.
    public var isMultiLabel: Bool { multiHot != nil }

    /// The class labels of the samples at `indices` (empty for multi-label data).
    public func labels(_ indices: [Int]) -> [Int] { labels.isEmpty ? [] : indices.map { labels[$0] } }

    /// The multi-hot targets [indices.count, L] of the samples at `indices` (nil for single-label data).
    public func multiHotBatch(_ indices: [Int]) -> Tensor? {
        multiHot.map { TensorDataset.rows(indices, of: $0) }
    }

    /// The batch size of eval-mode passes over the split (scoring, fusion features): 256 samples, fewer when a
    /// batch's inputs would exceed 16 MiB — a convnet's activations are a large multiple of its input, so
    /// MM-IMDB's 3 × 224 × 224 posters at 256 per batch peaked at 4.8 GB; at 16 MiB they go 27 at a time.
    /// In eval mode every sample's output is independent of its batch, so only memory and speed change.
    public var evaluationBatchSize: Int {
        let bytes = sampleShape.reduce(MemoryLayout<Float>.stride, *)
        return Swift.max(1, Swift.min(256, (16 << 20) / Swift.max(bytes, 1)))
    }

    /// Index lists of consecutive batches in order (the last one may be smaller).
    public func sequentialBatches(size: Int) -> [[Int]] {
        TensorDataset.sequentialBatches(count: count, size: size)
    }

    /// Index lists of a shuffled pass with `drop_last` (at least one batch: when fewer samples than `size`
    /// exist, one batch of all of them).
    public func shuffledBatches(size: Int, using generator: inout SeededGenerator) -> [[Int]] {
        TensorDataset.shuffledBatches(count: count, size: size, using: &generator)
    }
}

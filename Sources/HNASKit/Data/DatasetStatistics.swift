import Foundation

/// Class balance, input shapes and per-input mean/standard deviation of one split, computed by
/// streaming the split through a `DataLoader` (so it also measures what training would see).
public struct DatasetStatistics {
    /// Per input: name, sample shape, mean and population standard deviation over all scalars.
    public struct InputSummary: Equatable {
        public let name: String
        public let shape: [Int]
        public let mean: Double
        public let std: Double
    }

    /// The split described.
    public let split: String
    /// The number of samples.
    public let count: Int
    /// Samples per class (single-label) or positive labels per column (multi-label), in class order.
    public let classCounts: [Int]
    /// One summary per dataset input.
    public let inputs: [InputSummary]

    /// Streams `split` of `dataset` through a loader with `threads` decoding threads.
    /// - Throws: the first decoding error (run `DatasetVerifier` to see them all).
    public init(dataset: Dataset, split: String, threads: Int) throws {
        let loader = try DataLoader(dataset: dataset, split: split,
                                    options: .init(batchSize: 64, threads: threads), generator: SeededGenerator(seed: 0))
        var counts = [Int](repeating: 0, count: dataset.classNames.count)
        var sums = [Double](repeating: 0, count: dataset.inputs.count)
        var squares = [Double](repeating: 0, count: dataset.inputs.count)
        var scalars = [Int](repeating: 0, count: dataset.inputs.count)
        var shapes = [[Int]](repeating: [], count: dataset.inputs.count)
        let stream = loader.epoch()
        while let batch = try stream.next() {
            if dataset.isMultiLabel {
                let width = counts.count
                for (k, value) in batch.targets.scalars.enumerated() where value != 0 { counts[k % width] += 1 }
            } else {
                for index in batch.classIndices { counts[index] += 1 }
            }
            for (i, tensor) in batch.inputs.enumerated() {
                shapes[i] = Array(tensor.shape.dropFirst())
                var s = 0.0, q = 0.0
                for x in tensor.scalars {
                    let v = Double(x)
                    s += v
                    q += v * v
                }
                sums[i] += s
                squares[i] += q
                scalars[i] += tensor.count
            }
        }
        self.split = split
        self.count = loader.split.samples.count
        self.classCounts = counts
        self.inputs = dataset.inputs.indices.map { i in
            let n = Double(max(scalars[i], 1))
            let mean = sums[i] / n
            return InputSummary(name: dataset.inputs[i].name, shape: shapes[i], mean: mean,
                                std: max(0, squares[i] / n - mean * mean).squareRoot())
        }
    }
}

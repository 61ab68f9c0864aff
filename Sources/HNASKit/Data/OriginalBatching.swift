/// The batch sizes the original uses for a stock dataset: training batches are shuffled every epoch
/// and the last incomplete one is dropped; test batches are in order and complete.
///
/// AV-MNIST 256 / 256 (4 training batches of 1050 samples, 2 test batches), MM-IMDB 16 / 16,
/// Memes 64 / 64 (SPEC-hardware-and-data §3.1–3.3).
public struct OriginalBatching: Equatable, Sendable {
    public let trainBatchSize: Int
    public let testBatchSize: Int

    public init(trainBatchSize: Int, testBatchSize: Int) {
        self.trainBatchSize = trainBatchSize
        self.testBatchSize = testBatchSize
    }

    /// Loader options for training (shuffled, drop-last) or evaluation (ordered, every sample).
    public func options(training: Bool, threads: Int = 1, cacheBytes: Int = 0) -> DataLoader.Options {
        DataLoader.Options(batchSize: training ? trainBatchSize : testBatchSize, shuffle: training, dropLast: training,
                           threads: threads, cacheBytes: cacheBytes)
    }
}

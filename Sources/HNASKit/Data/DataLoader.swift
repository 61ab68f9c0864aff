import Foundation

/// Turns one split of a `Dataset` into batches: seeded shuffling, batching with optional drop-last,
/// decoding on a fixed number of background threads with a bounded prefetch window, and an optional
/// in-memory cache of decoded samples.
///
/// Each call to `epoch()` starts a pass over the split. With shuffling, the pass's order is a fresh
/// Fisher–Yates permutation drawn from the loader's `SeededGenerator`, so epoch e of two loaders
/// built with the same seed visits the samples in the same order (the original reseeds PyTorch's RNG
/// with 42 and reshuffles every epoch; hnas uses its own generator, so the permutations differ from
/// PyTorch's but are just as reproducible).
public final class DataLoader {
    /// How batches are formed and decoded.
    public struct Options {
        /// Samples per batch (≥ 1).
        public var batchSize: Int
        /// Reshuffle the split at the start of every epoch.
        public var shuffle: Bool
        /// Drop the last batch when it is smaller than `batchSize`.
        public var dropLast: Bool
        /// Decoding threads (≥ 1).
        public var threads: Int
        /// Batches decoded ahead of the consumer (≥ 1); defaults to twice the threads.
        public var prefetch: Int
        /// Bytes of decoded tensors to keep in memory across epochs (0: no cache).
        public var cacheBytes: Int

        public init(batchSize: Int, shuffle: Bool = false, dropLast: Bool = false, threads: Int = 1,
                    prefetch: Int? = nil, cacheBytes: Int = 0) {
            self.batchSize = batchSize
            self.shuffle = shuffle
            self.dropLast = dropLast
            self.threads = threads
            self.prefetch = prefetch ?? 2 * threads
            self.cacheBytes = cacheBytes
        }
    }

    public let dataset: Dataset
    public let split: DatasetSplit
    public let options: Options
    /// The cache shared by all epochs, when `options.cacheBytes > 0`.
    public let cache: SampleCache?
    private var generator: SeededGenerator

    /// A loader over `dataset`'s split `splitName`.
    /// - Throws: `HNASError` when the split does not exist or an option is out of range.
    public init(dataset: Dataset, split splitName: String, options: Options, generator: SeededGenerator) throws {
        guard options.batchSize >= 1 else { throw HNASError.argument("--batch-size", why: "must be at least 1, got \(options.batchSize)") }
        guard options.threads >= 1 else { throw HNASError.argument("--threads", why: "must be at least 1, got \(options.threads)") }
        guard options.prefetch >= 1 else { throw HNASError.argument("--prefetch", why: "must be at least 1, got \(options.prefetch)") }
        self.dataset = dataset
        self.split = try dataset.split(splitName)
        self.options = options
        self.cache = options.cacheBytes > 0 ? SampleCache(limitBytes: options.cacheBytes) : nil
        self.generator = generator
    }

    /// Batches per epoch.
    public var batchCount: Int {
        let n = split.samples.count
        return options.dropLast ? n / options.batchSize : (n + options.batchSize - 1) / options.batchSize
    }

    /// Starts one pass over the split; decoding begins immediately on the background threads.
    public func epoch() -> BatchStream {
        var order = Array(split.samples.indices)
        if options.shuffle { generator.shuffle(&order) }
        let size = options.batchSize
        let batches = (0..<batchCount).map { b in Array(order[(b * size)..<min(order.count, (b + 1) * size)]) }
        let dataset = self.dataset, split = self.split, cache = self.cache
        return BatchStream(batchCount: batches.count, threads: options.threads, prefetch: options.prefetch) { b in
            let indices = batches[b]
            let samples = try indices.map { index -> LoadedSample in
                if let cached = cache?.sample(at: index) { return cached }
                let sample = try dataset.load(split.samples[index])
                cache?.store(sample, at: index)
                return sample
            }
            return try Batch(stacking: samples, indices: indices, split: split)
        }
    }
}

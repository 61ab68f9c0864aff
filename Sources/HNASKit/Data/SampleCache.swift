import Foundation

/// A thread-safe in-memory cache of decoded samples, keyed by position in a split, bounded in bytes.
///
/// Decoding (PNG, WAV → MFCC, `.npy` resize) dominates loading time, and AV-MNIST's decoded tensors
/// (about 7 MB) fit easily, so a loader with a cache decodes every sample once. Samples are added
/// until `limitBytes` of tensor data is held; later samples are decoded every time.
public final class SampleCache: @unchecked Sendable {
    /// The most tensor bytes (4 per scalar, inputs and target) the cache holds.
    public let limitBytes: Int
    private let lock = NSLock()
    private var samples: [Int: LoadedSample] = [:]
    private var bytes = 0

    public init(limitBytes: Int) {
        self.limitBytes = limitBytes
    }

    /// The cached sample at `index`, if any.
    public func sample(at index: Int) -> LoadedSample? {
        lock.lock()
        defer { lock.unlock() }
        return samples[index]
    }

    /// Stores `sample` at `index` unless that would exceed the limit.
    public func store(_ sample: LoadedSample, at index: Int) {
        let size = 4 * (sample.inputs.reduce(0) { $0 + $1.count } + sample.target.count)
        lock.lock()
        defer { lock.unlock() }
        guard samples[index] == nil, bytes + size <= limitBytes else { return }
        samples[index] = sample
        bytes += size
    }

    /// The number of cached samples.
    public var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return samples.count
    }
}

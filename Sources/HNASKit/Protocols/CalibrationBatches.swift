/// The training batches a subnet's BatchNorm statistics are recalibrated on, produced one at a time: a
/// split may be decoded from disk batch by batch, so the batches are never all held at once.
public struct CalibrationBatches {
    /// The number of batches.
    public let count: Int
    private let make: (Int) throws -> Tensor

    /// `count` batches, batch `i` made by `make(i)` when it is reached.
    public init(count: Int, make: @escaping (Int) throws -> Tensor) {
        self.count = count
        self.make = make
    }

    /// Runs `body` over the batches as a sequence; the first error of a batch ends the sequence and is rethrown
    /// after `body` returns.
    public func withSequence<R>(_ body: (AnySequence<Tensor>) throws -> R) throws -> R {
        let failure = FirstFailure()
        let make = self.make
        let batches = AnySequence((0..<count).lazy.compactMap { i -> Tensor? in
            guard failure.error == nil else { return nil }
            do { return try make(i) } catch {
                failure.error = error
                return nil
            }
        })
        let result = try body(batches)
        if let error = failure.error { throw error }
        return result
    }
}

/// The first error a lazily made batch threw (a reference, so the lazy sequence's closure can record it).
private final class FirstFailure {
    var error: Error?
}

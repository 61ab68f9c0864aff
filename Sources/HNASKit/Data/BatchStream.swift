import Foundation

/// One epoch of batches, produced in order by a fixed number of worker threads that decode at most
/// `prefetch` batches ahead of the consumer.
///
/// Workers claim batch numbers in increasing order, build them, and park the result; `next()` hands
/// them out in order. The first error ends the epoch: `next()` throws it and afterwards returns nil.
/// Dropping the stream stops the workers after the batch each is building.
public final class BatchStream {
    private let state: State

    init(batchCount: Int, threads: Int, prefetch: Int, make: @escaping (Int) throws -> Batch) {
        state = State(batchCount: batchCount, prefetch: prefetch, make: make)
        for _ in 0..<min(threads, max(batchCount, 1)) {
            let state = self.state
            let thread = Thread { state.work() }
            thread.name = "hnas.data"
            thread.start()
        }
    }

    deinit {
        state.cancel()
    }

    /// The next batch in order, or nil at the end of the epoch.
    /// - Throws: the first decoding error (an `HNASError` naming the file).
    public func next() throws -> Batch? {
        try state.take()
    }

    private final class State: @unchecked Sendable {
        let batchCount: Int
        let prefetch: Int
        let make: (Int) throws -> Batch
        let condition = NSCondition()
        var nextToClaim = 0
        var consumed = 0
        var ready: [Int: Result<Batch, Error>] = [:]
        var cancelled = false

        init(batchCount: Int, prefetch: Int, make: @escaping (Int) throws -> Batch) {
            self.batchCount = batchCount
            self.prefetch = prefetch
            self.make = make
        }

        func work() {
            while true {
                condition.lock()
                while !cancelled && nextToClaim < batchCount && nextToClaim >= consumed + prefetch {
                    condition.wait()
                }
                guard !cancelled, nextToClaim < batchCount else {
                    condition.unlock()
                    return
                }
                let b = nextToClaim
                nextToClaim += 1
                condition.unlock()

                let result = Result { try make(b) }
                condition.lock()
                ready[b] = result
                condition.broadcast()
                condition.unlock()
            }
        }

        func take() throws -> Batch? {
            condition.lock()
            defer { condition.unlock() }
            while !cancelled && consumed < batchCount && ready[consumed] == nil {
                condition.wait()
            }
            guard !cancelled, consumed < batchCount, let result = ready.removeValue(forKey: consumed) else { return nil }
            consumed += 1
            condition.broadcast()
            do {
                return try result.get()
            } catch {
                cancelled = true
                throw error
            }
        }

        func cancel() {
            condition.lock()
            cancelled = true
            condition.broadcast()
            condition.unlock()
        }
    }
}

import Foundation
import HNASEngine

/// `size` threads standing in for the processes of a data-parallel run, inside one test process:
/// `run` starts them, `exchange` is their one collective (every thread's bytes to every thread),
/// from which the reducers below build sums. It lets tests check the distributed arithmetic
/// (synchronised BatchNorm, sharded training) without an MPI launcher.
public final class ThreadGroup: @unchecked Sendable {
    public let size: Int
    private let condition = NSCondition()
    private var slots: [[UInt8]?]
    private var arrived = 0, generation = 0
    private var results: [[UInt8]] = []

    public init(size: Int) {
        self.size = size
        slots = Array(repeating: nil, count: size)
    }

    /// Every thread's `bytes`, in rank order, once all `size` threads have called it.
    public func exchange(rank: Int, _ bytes: [UInt8]) -> [[UInt8]] {
        condition.lock()
        defer { condition.unlock() }
        let mine = generation
        slots[rank] = bytes
        arrived += 1
        if arrived == size {
            results = slots.map { $0! }
            slots = Array(repeating: nil, count: size)
            arrived = 0
            generation += 1
            condition.broadcast()
        } else {
            while generation == mine { condition.wait() }
        }
        return results
    }

    private var mailboxes: [Int: [(source: Int, bytes: [UInt8])]] = [:]

    /// Queues `bytes` from `source` for `rank` under `tag`.
    public func post(_ bytes: [UInt8], from source: Int, to rank: Int, tag: Int) {
        condition.lock()
        defer { condition.unlock() }
        mailboxes[rank * 1000 + tag, default: []].append((source, bytes))
        condition.broadcast()
    }

    /// The oldest message for `rank` under `tag`, waiting for one.
    public func take(rank: Int, tag: Int) -> (source: Int, bytes: [UInt8]) {
        condition.lock()
        defer { condition.unlock() }
        while mailboxes[rank * 1000 + tag, default: []].isEmpty { condition.wait() }
        return mailboxes[rank * 1000 + tag]!.removeFirst()
    }

    /// Runs `body(rank)` on `size` threads at once and returns the results in rank order.
    public func run<T>(_ body: @escaping (Int) throws -> T) -> [Result<T, Error>] {
        let results = ThreadResults<T>(size)
        let threads = (0..<size).map { rank in
            Thread {
                let result = Result { try body(rank) }
                results.lock.withLock { results.values[rank] = result }
            }
        }
        for t in threads {
            t.stackSize = 16 << 20
            t.start()
        }
        while results.lock.withLock({ results.values.contains { $0 == nil } }) { usleep(1000) }
        return results.values.map { $0! }
    }
}

/// The results of `ThreadGroup.run`'s threads, written under a lock.
private final class ThreadResults<T>: @unchecked Sendable {
    let lock = NSLock()
    var values: [Result<T, Error>?]
    init(_ count: Int) { values = Array(repeating: nil, count: count) }
}

/// Rank `rank` of a `ThreadGroup` as a `BatchStatisticsReducer`: sums in rank order, so every
/// thread gets bit-identical sums (as MPI_Allreduce gives every process).
open class ThreadReducer: BatchStatisticsReducer {
    public let rank: Int
    public let group: ThreadGroup

    public init(rank: Int, group: ThreadGroup) {
        self.rank = rank
        self.group = group
    }

    public func sum(_ values: inout [Float]) {
        let all = group.exchange(rank: rank, values.withUnsafeBytes { Array($0) })
        var total = [Float](repeating: 0, count: values.count)
        for bytes in all {
            bytes.withUnsafeBytes { raw in
                let v = raw.bindMemory(to: Float.self)
                for i in total.indices { total[i] += v[i] }
            }
        }
        values = total
    }
}

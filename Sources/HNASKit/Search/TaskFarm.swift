import Foundation

/// Dynamic load balancing of independent tasks over the processes of a distributed run: rank 0 hands
/// out one task at a time to whichever process is free (itself included), so tasks whose costs differ
/// tenfold still keep every process busy, and gets the results back in task order — the order one
/// process would have produced them in.
///
/// Rank 0 calls `run` for each batch of tasks and `stop` at the end; every other rank calls `serve`,
/// which computes what it is sent until `stop`. Rank 0 computes on its main thread while a second
/// thread answers the others (the only MPI calls during a batch). A task that fails on another rank
/// is reported naming that rank.
public struct TaskFarm {
    public let communicator: Communicator
    /// Message kinds: rank 0 → worker (task or stop), worker → rank 0 (result or failure).
    static let taskTag = 71, resultTag = 72

    public init(communicator: Communicator) { self.communicator = communicator }

    /// Rank 0: `work` applied to every task, on all processes; the results in task order.
    /// - Throws: the first error of rank 0's own tasks, or `HNASError` naming the rank whose task failed.
    public func run(_ tasks: [[UInt8]], work: ([UInt8]) throws -> [UInt8]) throws -> [[UInt8]] {
        precondition(communicator.isRoot, "TaskFarm.run is rank 0's")
        let board = Board(count: tasks.count)
        let helper = communicator.size > 1 ? Thread { [communicator] in Self.coordinate(tasks, board: board, communicator: communicator) } : nil
        helper?.start()
        var failure: Error?
        while failure == nil, let i = board.take() {
            do { board.store(i, try work(tasks[i])) } catch {
                failure = error
                board.close()
            }
        }
        board.waitForHelper(helper != nil)
        if let failure { throw failure }
        if let (rank, message) = board.remoteFailure {
            throw HNASError("a task failed on", .argument("rank \(rank)"), why: message)
        }
        return board.results.map { $0! }
    }

    /// Rank 0: ends every other rank's `serve`.
    public func stop() {
        for rank in 1..<Swift.max(communicator.size, 1) { communicator.send([1], to: rank, tag: Self.taskTag) }
    }

    /// Ranks > 0: computes every task rank 0 sends, until `stop`. A failing task is reported to rank 0.
    public func serve(work: ([UInt8]) throws -> [UInt8]) {
        while true {
            let message = communicator.receive(tag: Self.taskTag).bytes
            guard message.first == 0 else { return }
            let index = Array(message[1..<9]), task = Array(message[9...])
            do {
                communicator.send([0] + index + (try work(task)), to: 0, tag: Self.resultTag)
            } catch {
                communicator.send([1] + index + Array("\(error)".utf8), to: 0, tag: Self.resultTag)
            }
        }
    }

    /// Rank 0's helper thread: keeps every other rank busy with the next untaken task and stores their results.
    private static func coordinate(_ tasks: [[UInt8]], board: Board, communicator: Communicator) {
        var outstanding = 0
        func handOut(to rank: Int) {
            guard let i = board.take() else { return }
            var index = UInt64(i).littleEndian
            communicator.send([0] + withUnsafeBytes(of: &index) { Array($0) } + tasks[i], to: rank, tag: taskTag)
            outstanding += 1
        }
        for rank in 1..<communicator.size { handOut(to: rank) }
        while outstanding > 0 {
            let (source, message) = communicator.receive(tag: resultTag)
            outstanding -= 1
            let index = Int(message[1..<9].withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) })
            if message[0] == 0 {
                board.store(index, Array(message[9...]))
                handOut(to: source)
            } else {
                board.fail(rank: source, String(decoding: message[9...], as: UTF8.self))
            }
        }
        board.helperDone()
    }

    /// The tasks not yet taken and the results so far, shared by rank 0's two threads.
    private final class Board: @unchecked Sendable {
        private let condition = NSCondition()
        private var next = 0
        private let count: Int
        private(set) var results: [[UInt8]?]
        private(set) var remoteFailure: (Int, String)?
        private var helperFinished = false

        init(count: Int) {
            self.count = count
            results = Array(repeating: nil, count: count)
        }

        func take() -> Int? {
            condition.lock()
            defer { condition.unlock() }
            guard next < count else { return nil }
            next += 1
            return next - 1
        }

        /// No more tasks are handed out (after a failure).
        func close() {
            condition.lock()
            next = count
            condition.unlock()
        }

        func store(_ i: Int, _ result: [UInt8]) {
            condition.lock()
            results[i] = result
            condition.unlock()
        }

        func fail(rank: Int, _ message: String) {
            condition.lock()
            if remoteFailure == nil { remoteFailure = (rank, message) }
            next = count
            condition.unlock()
        }

        func helperDone() {
            condition.lock()
            helperFinished = true
            condition.broadcast()
            condition.unlock()
        }

        func waitForHelper(_ started: Bool) {
            guard started else { return }
            condition.lock()
            while !helperFinished { condition.wait() }
            condition.unlock()
        }
    }
}

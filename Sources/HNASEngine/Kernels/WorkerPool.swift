import Foundation
import Synchronization

/// The persistent threads behind `Parallel.forEachRange`: they spin briefly between loops, so a
/// loop hands its pieces to an awake thread instead of waking one up.
///
/// `DispatchQueue.concurrentPerform` woke its workers for every loop: measured on the 2-core
/// AMD EPYC, two 25 µs halves took 74 µs (slower than one thread doing both) and two 123 µs
/// halves 167 µs. An inference of a MobileNetV3 at batch 1 runs hundreds of such loops, and two
/// threads were no faster than one. Here a worker that finishes a loop polls for the next one
/// for about `spinPolls` loads (up to about 200 µs) before it sleeps on a condition.
///
/// One loop runs at a time: a thread that submits while another thread's loop is running gets
/// `false` back and runs its loop itself, serially.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()

    /// One loop: pieces `0..<pieces` handed out in order to the submitting thread and at most
    /// `helpers` pool threads.
    private final class Job: @unchecked Sendable {
        let pieces: Int
        let helpers: Int
        /// Cleared once every piece has completed, before the submitter's closure ends.
        var body: ((Int) -> Void)?
        let nextPiece = Atomic<Int>(0)
        let joined = Atomic<Int>(0)
        let completed = Atomic<Int>(0)

        init(pieces: Int, helpers: Int, body: @escaping (Int) -> Void) {
            self.pieces = pieces
            self.helpers = helpers
            self.body = body
        }

        /// Takes and runs pieces until none is left.
        func runPieces() {
            while true {
                let piece = nextPiece.wrappingAdd(1, ordering: .relaxed).oldValue
                guard piece < pieces else { return }
                run(piece)
                completed.wrappingAdd(1, ordering: .releasing)
            }
        }

        // Out of line so that the reference to `body` is released before the piece counts as done.
        @inline(never)
        private func run(_ piece: Int) { body!(piece) }
    }

    /// Polls of the generation counter before a worker goes to sleep (at most about 200 µs here: one load
    /// each). A two-thread profile of an MM-IMDB batch-1 inference at 50 000 polls had the worker asleep or
    /// waking 16 % of the time, the main thread running alone the pieces the worker woke too late for: at
    /// 200 000 the inference's median went 13.9–23.0 → 12.9–20.8 ms over six alternations (2026-12-06).
    /// Much longer is worse: at about 1 ms, 5 of 14 benchmark processes ran whole at ~23.5 ms (0 of 14 at
    /// 50 000): this 2-vCPU host slows down vCPUs that never idle.
    private static let spinPolls = 200_000

    private let generation = Atomic<Int>(0)
    private let sleepers = Atomic<Int>(0)
    private let condition = NSCondition()
    private let current = Mutex<Job?>(nil)
    private let submission = NSLock()
    /// Pool threads started so far (guarded by `submission`).
    private var started = 0

    /// Runs `body(piece)` for every piece in `0..<pieces` on the calling thread and up to
    /// `workers − 1` pool threads; returns once all have completed. Returns `false` without running
    /// anything when another thread's loop holds the pool.
    func run(pieces: Int, workers: Int, _ body: (Int) -> Void) -> Bool {
        guard submission.try() else { return false }
        defer { submission.unlock() }
        while started < workers - 1 {
            let thread = Thread { [unowned self] in workerLoop() }
            thread.stackSize = 8 << 20
            thread.start()
            started += 1
        }
        withoutActuallyEscaping(body) { body in
            let job = Job(pieces: pieces, helpers: workers - 1, body: body)
            current.withLock { $0 = job }
            generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                condition.lock()
                condition.broadcast()
                condition.unlock()
            }
            let context = ThreadContext.current
            let wasInside = context.insideParallel
            context.insideParallel = true
            job.runPieces()
            context.insideParallel = wasInside
            while job.completed.load(ordering: .acquiring) < pieces {}
            current.withLock { $0 = nil }
            job.body = nil
        }
        return true
    }

    private func workerLoop() {
        ThreadContext.current.insideParallel = true // a loop inside a piece runs serially
        var seen = 0
        while true {
            seen = waitForGeneration(after: seen)
            guard let job = current.withLock({ $0 }),
                  job.joined.wrappingAdd(1, ordering: .relaxed).oldValue < job.helpers else { continue }
            job.runPieces()
        }
    }

    /// The generation after `seen`: polled for a while, then waited for on `condition`. A submitter
    /// bumps the generation before it reads `sleepers`, and a sleeper counts itself before it reads
    /// the generation (both sequentially consistent), so one of them sees the other: no lost wake-up.
    private func waitForGeneration(after seen: Int) -> Int {
        for _ in 0..<Self.spinPolls {
            let now = generation.load(ordering: .acquiring)
            if now != seen { return now }
        }
        condition.lock()
        defer { condition.unlock() }
        sleepers.wrappingAdd(1, ordering: .sequentiallyConsistent)
        defer { sleepers.wrappingSubtract(1, ordering: .sequentiallyConsistent) }
        var now = generation.load(ordering: .sequentiallyConsistent)
        while now == seen {
            condition.wait()
            now = generation.load(ordering: .sequentiallyConsistent)
        }
        return now
    }
}

import CBLAS
import Foundation

/// The engine's worker threads: a fixed count used by every kernel.
///
/// All parallelism in hnas goes through here so that the thread count is one knob (`--threads`).
/// OpenBLAS is kept single-threaded: `Gemm.sgemm` splits large products over these workers
/// itself, and kernels that already run per sample call single-threaded GEMMs, so the machine is
/// never oversubscribed by two thread pools. A `forEach` nested inside another runs serially.
public enum Parallel {
    /// Worker count, at least 1. Defaults to the active processor count; set it once at start-up.
    public static var threads: Int {
        get { _ = configured; return storedThreads }
        set {
            _ = configured
            storedThreads = max(1, newValue)
        }
    }

    private nonisolated(unsafe) static var storedThreads = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Runs once, before the first kernel: OpenBLAS must not start its own threads.
    private static let configured: Void = {
        openblas_set_num_threads(1)
    }()

    /// Makes sure OpenBLAS has been made single-threaded (for BLAS calls that bypass `forEach`).
    static func configureBLAS() { _ = configured }

    /// Runs `body(i)` for every `i` in `0..<count` on `threads` workers (the calling thread and
    /// `WorkerPool`'s); serial when one thread, one item, when called from inside another `forEach`,
    /// or while another thread's loop holds the pool. `body` must only write memory no other `i` writes.
    static func forEach(_ count: Int, _ body: (Int) -> Void) {
        forEachRange(count) { range in
            for i in range { body(i) }
        }
    }

    /// Like `forEach`, but hands out contiguous ranges: `0..<count` is cut into up to
    /// `piecesPerWorker × threads` near-equal pieces that the workers take in turn, so a worker
    /// slowed down by other processes on the machine does not hold up the others.
    static func forEachRange(_ count: Int, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let workers = min(threads, count)
        let context = ThreadContext.current
        if workers <= 1 || context.insideParallel {
            body(0..<count)
            return
        }
        let pieces = min(count, workers * piecesPerWorker)
        let ran = WorkerPool.shared.run(pieces: pieces, workers: workers) { piece in
            body(split(count, into: pieces, part: piece))
        }
        if !ran { body(0..<count) } // another thread's loop holds the workers
    }

    /// How many pieces per worker `forEachRange` cuts a loop into.
    static let piecesPerWorker = 4

    /// The `part`-th of `parts` near-equal contiguous slices of `0..<count`.
    static func split(_ count: Int, into parts: Int, part: Int) -> Range<Int> {
        let base = count / parts, extra = count % parts
        let start = part * base + min(part, extra)
        return start..<(start + base + (part < extra ? 1 : 0))
    }
}

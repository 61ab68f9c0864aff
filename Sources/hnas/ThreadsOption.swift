import ArgumentParser
import HNASKit

/// `--threads N`: the engine's worker threads, for every command that computes with the engine.
struct ThreadsOption: ParsableArguments {
    @Option(help: "Worker threads (default: active cores).")
    var threads: Int?

    /// Sets `Parallel.threads` when `--threads` was given.
    /// - Throws: `HNASError` naming `--threads` when it is not positive.
    func apply() throws {
        guard let threads else { return }
        guard threads > 0 else { throw HNASError.argument("--threads", why: "must be positive, got \(threads)") }
        Parallel.threads = threads
    }
}

import ArgumentParser
import HNASKit

/// `--threads N`: the engine's worker threads, for every command that computes with the engine.
struct ThreadsOption: ParsableArguments {
    @Option(help: "Worker threads (default: active cores).")
    var threads: Int?

    /// Sets `Parallel.threads` when `--threads` was given.
    /// - Throws: `HNASError` naming `--threads` when it is outside `ArgumentRange.threads`.
    func apply() throws {
        guard let threads else { return }
        try ArgumentRange.check(threads, ArgumentRange.threads, "--threads")
        Parallel.threads = threads
    }
}

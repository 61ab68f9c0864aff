import ArgumentParser
import Foundation
import HNASBench
import HNASKit

/// The arguments the `hnas bench` commands share: which benchmark network, its batch, the engine's
/// threads and the output form.
struct BenchNetworkArguments: ParsableArguments {
    @Option(help: "Network name in the benchmark file.")
    var net = "avmnist-image-max"

    @OptionGroup var threading: ThreadsOption

    @Option(help: "Batch size (default: the network's batch).")
    var batch: Int?

    @Option(help: "Benchmark network definitions (relative paths: to the repository root).")
    var nets = "Benchmarks/nets.json"

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    /// Applies `--threads`, then loads the network and settles the batch.
    /// - Throws: `HNASError` for bad `--threads`, a `--batch` out of `ArgumentRange.batch` or an unknown network.
    func setUp() throws -> (network: BenchNetwork, batch: Int) {
        try threading.apply()
        if let batch { try ArgumentRange.check(batch, ArgumentRange.batch, "--batch") }
        let network = try BenchNetwork.load(Self.resolve(nets), named: net)
        return (network, batch ?? network.batch)
    }

    /// `path` when absolute, else `path` below the repository root: the nearest directory at or above
    /// the working directory holding `Package.swift` (else the working directory).
    static func resolve(_ path: String) -> String {
        guard !path.hasPrefix("/") else { return path }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        var dir = cwd
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { break }
            dir.deleteLastPathComponent()
        }
        let root = dir.path == "/" ? cwd : dir
        return root.appendingPathComponent(path).standardizedFileURL.path
    }
}

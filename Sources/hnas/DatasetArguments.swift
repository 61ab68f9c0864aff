import ArgumentParser
import Foundation
import HNASKit

/// The arguments every `hnas data` subcommand shares: the dataset folder, its pipeline, and
/// `--threads` (the same worker-thread option as every other command; here it also sets how many
/// threads decode samples).
struct DatasetArguments: ParsableArguments {
    @Argument(help: "The dataset folder.")
    var dir: String

    @Option(help: ArgumentHelp("The dataset pipeline: \(makeRegistry().pipelines.names.joined(separator: ", "))."))
    var dataset: String

    @OptionGroup var threading: ThreadsOption

    var root: URL { URL(fileURLWithPath: dir) }

    /// The registered pipeline `--dataset` names.
    /// - Throws: `HNASError` naming `--dataset` and the known pipelines when it is unknown.
    func pipeline(_ registry: Registry) throws -> any Pipeline {
        try registry.pipelines.make(dataset)
    }

    /// Worker threads for decoding: `--threads` when given, else the active cores.
    var threads: Int { threading.threads ?? Parallel.threads }

    /// Applies `--threads` (rejecting a non-positive count with an error naming `--threads`).
    func validate() throws {
        try threading.apply()
    }
}

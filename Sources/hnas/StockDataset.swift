import ArgumentParser
import Foundation
import HNASKit

/// The stock dataset pipelines `--dataset` chooses from, and how each gets its modality plugins.
enum StockDataset: String, CaseIterable, ExpressibleByArgument {
    case avmnist
    case mmimdb
    case memes

    /// The class names of a single-label pipeline; nil for multi-label data (MM-IMDB's genres).
    var classNames: [String]? {
        switch self {
        case .avmnist: return AVMNIST.classNames
        case .mmimdb: return nil
        case .memes: return Memes.classNames(extended: false)
        }
    }

    /// Lists the layout of the dataset at `root`, collecting every problem.
    func list(root: URL) -> DatasetListing {
        switch self {
        case .avmnist: return AVMNIST.list(root: root)
        case .mmimdb: return MMIMDB.list(root: root)
        case .memes: return Memes.list(root: root)
        }
    }

    /// The dataset of already listed `splits`, decoding through the registered modality plugins.
    /// - Throws: `HNASError` when a modality plugin the pipeline needs is not registered.
    func dataset(splits: [DatasetSplit], registry: Registry) throws -> Dataset {
        switch self {
        case .avmnist:
            return AVMNIST.dataset(splits: splits, image: try registry.modalities.make("image"),
                                   audio: try registry.modalities.make("audio"))
        case .mmimdb:
            return MMIMDB.dataset(splits: splits, image: try registry.modalities.make("image"),
                                  text: try registry.modalities.make("text"))
        case .memes:
            return Memes.dataset(splits: splits, image: try registry.modalities.make("image"),
                                 text: try registry.modalities.make("text"))
        }
    }

    /// Opens the dataset at `root` with the registered modality plugins.
    /// - Throws: `HNASError` for layout problems or a modality plugin that is not registered.
    func open(root: URL, registry: Registry) throws -> Dataset {
        try dataset(splits: list(root: root).validSplits(), registry: registry)
    }
}

/// The arguments every `hnas data` subcommand shares: the dataset folder, its pipeline, and
/// `--threads` (the same worker-thread option as every other command; here it also sets how many
/// threads decode samples).
struct DatasetArguments: ParsableArguments {
    @Argument(help: "The dataset folder.")
    var dir: String

    @Option(help: "The dataset pipeline.")
    var dataset: StockDataset

    @OptionGroup var threading: ThreadsOption

    var root: URL { URL(fileURLWithPath: dir) }

    /// Worker threads for decoding: `--threads` when given, else the active cores.
    var threads: Int { threading.threads ?? Parallel.threads }

    /// Applies `--threads` (rejecting a non-positive count with an error naming `--threads`).
    func validate() throws {
        try threading.apply()
    }
}

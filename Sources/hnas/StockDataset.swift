import ArgumentParser
import Foundation
import HNASKit

/// The stock dataset pipelines `--dataset` chooses from, and how each gets its modality plugins.
enum StockDataset: String, CaseIterable, ExpressibleByArgument {
    case avmnist
    case mmimdb
    case memes

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

/// The arguments every `hnas data` subcommand shares: the dataset folder and its pipeline.
struct DatasetArguments: ParsableArguments {
    @Argument(help: "The dataset folder.")
    var dir: String

    @Option(help: "The pipeline: \(StockDataset.allCases.map(\.rawValue).joined(separator: ", ")).")
    var dataset: StockDataset

    var root: URL { URL(fileURLWithPath: dir) }
}

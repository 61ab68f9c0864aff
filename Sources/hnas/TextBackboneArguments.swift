import ArgumentParser
import Foundation
import HNASKit
import ModalityText

/// The arguments `hnas train-text` and `hnas eval-text` share: which dataset's Maxout text backbone,
/// the dataset folder, worker threads.
struct TextBackboneArguments: ParsableArguments {
    @Option(help: "Dataset pipeline: mmimdb or memes.")
    var dataset: String

    @Option(help: "Dataset folder.")
    var data: String

    @OptionGroup var threading: ThreadsOption

    /// The dataset's stock Maxout backbone and the text inputs and labels of `splits`, in memory.
    /// - Throws: `HNASError` for bad threads, a dataset without a text backbone, or data problems.
    func load(splits: [String]) throws -> (backbone: MaxoutBackbone, splits: [TensorDataset]) {
        try threading.apply()
        let backbone = try MaxoutBackbone.stock(dataset: dataset)
        let registry = makeRegistry()
        let source = try registry.pipelines.make(dataset).open(root: URL(fileURLWithPath: data), registry: registry)
        return (backbone, try splits.map { try TensorDataset(dataset: source, split: $0, input: "text", threads: Parallel.threads) })
    }

    /// How `MaxoutNetwork.score(on:)` scores `data`: "weighted F1" (multi-label) or "accuracy".
    static func metric(of data: TensorDataset) -> String {
        data.multiHot == nil ? "accuracy" : "weighted F1"
    }
}

import ArgumentParser
import Foundation
import HNASKit

/// `hnas data stats DIR --dataset …`: class balance, input shapes and mean/std per input, per split.
struct DataStatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Describe a dataset: class balance, input shapes, mean and standard deviation per input.",
        discussion: """
            Statistics are over the preprocessed tensors the pipeline feeds the backbones.

            Example:
              hnas data stats Data/avmnist-sample --dataset avmnist
            """
    )

    @OptionGroup var arguments: DatasetArguments

    func run() throws {
        let registry = makeRegistry()
        let dataset = try arguments.pipeline(registry).open(root: arguments.root, registry: registry)
        for split in dataset.splits {
            let stats = try DatasetStatistics(dataset: dataset, split: split.name, threads: arguments.threads)
            print("\(split.name): \(stats.count) samples")
            let what = dataset.isMultiLabel ? "positives" : "samples"
            for (name, count) in zip(dataset.classNames, stats.classCounts) {
                let share = stats.count > 0 ? 100 * Double(count) / Double(stats.count) : 0
                print("  class \(name): \(count) \(what) (\(String(format: "%.1f", share)) %)")
            }
            for input in stats.inputs {
                print("  \(input.name): shape \(input.shape)  mean \(String(format: "%.6g", input.mean))  std \(String(format: "%.6g", input.std))")
            }
        }
    }
}

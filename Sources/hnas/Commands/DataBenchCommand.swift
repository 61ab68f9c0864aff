import ArgumentParser
import Foundation
import HNASKit

/// `hnas data bench DIR --dataset … --threads N`: samples per second through the `DataLoader`.
struct DataBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure loader throughput (samples/s): decoding, preprocessing and batching of one split.",
        discussion: """
            Runs --epochs passes over the split (shuffled, batch --batch-size) with --threads decoding
            threads and prints samples/s per epoch. Without --cache every epoch decodes every sample;
            with --cache epochs after the first come from memory.

            Example:
              hnas data bench Data/avmnist-sample --dataset avmnist --threads 2
            """
    )

    @OptionGroup var arguments: DatasetArguments

    @Option(help: "The split to load.")
    var split = "train"

    @Option(help: "Samples per batch.")
    var batchSize = 64

    @Option(help: "Passes over the split.")
    var epochs = 2

    @Option(help: "Use only the first N samples of the split (0: all).")
    var limit = 0

    @Flag(help: "Keep decoded samples in memory (up to 2 GB) across epochs.")
    var cache = false

    func run() throws {
        try ArgumentRange.check(batchSize, ArgumentRange.batch, "--batch-size")
        try ArgumentRange.check(epochs, ArgumentRange.epochs, "--epochs")
        try ArgumentRange.check(limit, 0...ArgumentRange.samples.upperBound, "--limit")
        let registry = makeRegistry()
        var dataset = try arguments.pipeline(registry).open(root: arguments.root, registry: registry)
        if limit > 0 {
            let chosen = try dataset.split(split)
            let limited = DatasetSplit(name: split, samples: Array(chosen.samples.prefix(limit)))
            dataset = Dataset(name: dataset.name, inputs: dataset.inputs, classNames: dataset.classNames,
                              isMultiLabel: dataset.isMultiLabel, splits: [limited], labelDecoder: dataset.labelDecoder)
        }
        let options = DataLoader.Options(batchSize: batchSize, shuffle: true, threads: arguments.threads, cacheBytes: cache ? 2 << 30 : 0)
        let loader = try DataLoader(dataset: dataset, split: split, options: options, generator: SeededGenerator(seed: 42))
        print("dataset \(arguments.dataset), split \(split): \(loader.split.samples.count) samples, batch \(batchSize), threads \(arguments.threads)\(cache ? ", cache" : "")")
        for epoch in 1...epochs {
            let start = DispatchTime.now().uptimeNanoseconds
            var samples = 0
            let stream = loader.epoch()
            while let batch = try stream.next() { samples += batch.count }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            print("epoch \(epoch): \(samples) samples in \(String(format: "%.3f", seconds)) s = \(String(format: "%.1f", Double(samples) / seconds)) samples/s")
        }
    }
}

import ArgumentParser
import Foundation
import HNASKit

/// `hnas eval-subnet`: the original's unimodal score of one subnet, plus its size and layers.
struct EvalSubnetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval-subnet",
        abstract: "Accuracy (MM-IMDB: weighted F1) of a subnet after BN recalibration, its parameters, MACs and layer keys.",
        discussion: """
            As Harmonic-NAS scores a subnet: extract it from the supernet, recalibrate its BatchNorm statistics on up to 64 shuffled training batches of 256 (cumulative average), then top-1 accuracy on the whole test split (MM-IMDB: weighted F1 of sigmoid(logits) > 0.3). The layer keys are those of the latency/energy tables.

            Example:
              hnas eval-subnet --dataset avmnist --modality image --weights w.safetensors --arch Examples/avmnist-best-3.json
            """
    )

    @OptionGroup var supernet: SupernetArguments

    @Option(help: "Dataset folder.")
    var data = "Data/avmnist-sample"

    @Option(help: "Seed of the calibration batches' shuffle.")
    var seed: UInt64 = 42

    @Option(help: "Calibration batches (the original's post_bn_calibration_batch_num).")
    var calibrationBatches = BatchNormRecalibration.defaultBatchCount

    @Flag(help: "Print the result as JSON.")
    var json = false

    struct Report: Codable {
        var dataset: String, modality: String, config: BackboneConfig
        /// Accuracy, or weighted F1 for multi-label data, in percent.
        var score: Double, metric: String, parameters: Int, macs: Int
        var layers: [String]
    }

    func run() throws {
        try ArgumentRange.check(calibrationBatches, ArgumentRange.calibrationBatches, "--calibration-batches")
        let (network, config) = try supernet.load()
        let registry = makeRegistry()
        let pipeline = try registry.pipelines.make(supernet.dataset), input = try pipeline.input(supernet.modality)
        let source = try pipeline.open(root: URL(fileURLWithPath: data), registry: registry)
        // Streamed inputs (MM-IMDB's posters) are decoded batch by batch.
        let train = try InputSplit(dataset: source, split: pipeline.splits.train, input: input, threads: Parallel.threads)
        let test = try InputSplit(dataset: source, split: pipeline.splits.test, input: input, threads: Parallel.threads)
        var generator = SeededGenerator(seed: seed)
        let (subnet, score) = try SubnetEvaluation.evaluate(network, config: config, train: train, test: test,
                                                               generator: &generator, calibrationBatches: calibrationBatches)
        let report = Report(dataset: supernet.dataset, modality: supernet.modality, config: config, score: score,
                            metric: test.multiHot == nil ? "accuracy" : "weighted F1",
                            parameters: subnet.parameterCount, macs: subnet.multiplyAccumulates,
                            layers: try network.backbone.layerDescriptors(config).map(\.lutKey))
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        print("subnet \(config) of \(supernet.weights)")
        print(String(format: "%@: %.2f%% (test, %d samples, BN recalibrated on %d training samples)",
                     report.metric, score, test.count, min(train.count / min(BatchNormRecalibration.defaultBatchSize, train.count), calibrationBatches)
                        * min(BatchNormRecalibration.defaultBatchSize, train.count)))
        print("parameters: \(report.parameters)")
        print(String(format: "MACs: %.2f M", Double(report.macs) / 1e6))
        print("layers (latency/energy table keys):")
        for key in report.layers { print("  \(key)") }
    }
}

import ArgumentParser
import Foundation
import HNASKit
import ModalityText

/// `hnas train-text`: trains the Maxout text backbone of MM-IMDB or Memes on the dataset's text input.
struct TrainTextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-text",
        abstract: "Train the Maxout text backbone (MM-IMDB: 300 → 23, Memes: 77 → 3) on a dataset's text input.",
        discussion: """
            The network is Harmonic-NAS's fixed Maxout text backbone (two maxout blocks of 128 and 256 \
            units, 4 pieces, BatchNorm1d + dropout 0.3, linear head), with the original's state-dict names, \
            so the weights load wherever the original's converted text weights do. The original publishes \
            no text training code; hnas uses Adam, shuffled drop-last batches and binary cross-entropy with \
            logits (MM-IMDB, multi-label) or cross-entropy (Memes). After every epoch the test split is \
            scored as the original scores it — weighted F1 of sigmoid > 0.3 (MM-IMDB) or accuracy (Memes) — \
            and the weights are written to --out atomically. A non-finite loss stops training; the file \
            keeps the last finished epoch.

            Example:
              hnas train-text --dataset mmimdb --data Data/mmimdb --epochs 10 --out maxout-mmimdb-text.safetensors
            """
    )

    @OptionGroup var text: TextBackboneArguments

    @Option(help: "Epochs.")
    var epochs = 10

    @Option(help: "Weights file to write (default maxout-<dataset>-text.safetensors).")
    var out: String?

    @Option(help: "Samples per step (default: the dataset's original training batch, 16 for MM-IMDB, 64 for Memes).")
    var batchSize: Int?

    @Option(help: "Adam learning rate.")
    var lr: Float = 1e-3

    @Option(help: "Seed of the initial weights, dropout and batch order.")
    var seed: UInt64 = 0

    func run() throws {
        try ArgumentRange.check(epochs, ArgumentRange.epochs, "--epochs")
        if let batchSize { try ArgumentRange.check(batchSize, ArgumentRange.trainingBatch, "--batch-size") }
        try ArgumentRange.checkPositive(lr, atMost: ArgumentRange.maximumLearningRate, "--lr")
        let (backbone, splits) = try text.load(splits: ["train", "test"])
        let (train, test) = (splits[0], splits[1])
        let dataset = text.dataset
        var options = MaxoutTrainer.Options()
        options.epochs = epochs
        options.batchSize = batchSize ?? backbone.trainingBatchSize
        options.learningRate = lr
        options.seed = seed
        let network = backbone.makeMaxoutNetwork(seed: seed)
        let trainer = try MaxoutTrainer(network: network, train: train, test: test, options: options)
        let outURL = URL(fileURLWithPath: out ?? "maxout-\(dataset)-text.safetensors")
        let metric = TextBackboneArguments.metric(of: test)
        log("training \(backbone.name) on \(train.count) train / \(test.count) test samples, \(epochs) epochs, batch \(options.batchSize)")
        var last: MaxoutTrainer.EpochRecord?
        while !trainer.isFinished {
            let record = try trainer.runEpoch { p in
                FileHandle.standardError.write(Data(String(format: "\repoch %d/%d  step %d/%d  loss %.4f   ",
                                                           p.epoch, epochs, p.step, p.steps, p.loss).utf8))
            }
            try network.save(to: outURL, metadata: ["dataset": dataset, "backbone": backbone.name, "epochs": "\(record.epoch)",
                                                   "test_\(metric.replacingOccurrences(of: " ", with: "_"))": "\(record.testScore)"])
            log(String(format: "\repoch %d/%d  loss %.4f  test %@ %.2f%%  %.1f s", record.epoch, epochs, record.loss,
                       metric, record.testScore, record.seconds))
            last = record
        }
        print(String(format: "%@: test %@ %.2f%% after %d epochs", outURL.path, metric, last?.testScore ?? 0, trainer.epochsDone))
    }

    private func log(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

import ArgumentParser
import Foundation
import HNASKit
import HNASSearch

extension SupernetTrainingOptions.Schedule: ExpressibleByArgument {}

/// `hnas train-supernet`: trains an OFA MobileNetV3 supernet on one modality of a dataset.
struct TrainSupernetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-supernet",
        abstract: "Train the OFA MobileNetV3 supernet of one modality (sandwich rule or progressive shrinking).",
        discussion: """
            Schedules (--schedule): 'sandwich' (default, fast) trains, at every step, the max subnet on the labels, then one random subnet and the min subnet on the max subnet's soft labels (in-place distillation). 'progressive' is OFA's progressive shrinking in four equal phases (full network; elastic kernel; + elastic depth; + elastic expand ratio), each subnet distilled from the full network as trained in phase 1.

            Optimiser: SGD with Nesterov momentum 0.9, cosine learning rate after a one-epoch warm-up, label smoothing 0.1 (the original publishes no supernet training: these are hnas's choices).

            Multi-label data (--dataset mmimdb, 23 genres): binary cross-entropy with logits on the multi-hot targets (smoothed per label to t(1-0.1)+0.05); in-place distillation trains the other subnets with binary cross-entropy against the max subnet's per-label sigmoid outputs (each genre is an independent yes/no, so no softmax over genres). The metric is the weighted F1 of sigmoid > 0.3, as the original's.

            Data-parallel (--distributed mpi, under mpirun -np N): every process trains on its shard of every global batch (--batch-size is the global batch), with BatchNorm statistics synchronised over the processes and the gradients summed in one all-reduce per step; rank 0 writes the weights and checkpoints. The result equals one process's training with the same batch up to float summation order.

            After every epoch the max and min subnets are scored on the test split after BN recalibration, and the weights (--out) and a checkpoint (<out>.checkpoint.safetensors: weights, momentum, random streams) are written atomically. --resume continues from that checkpoint exactly as if never interrupted. A non-finite loss stops training and keeps the last good checkpoint.

            Example:
              hnas train-supernet --dataset avmnist --modality image --threads 2
              hnas train-supernet --dataset mmimdb --modality image --data mmimdb-prepared
              mpirun -np 2 hnas train-supernet --dataset avmnist --modality image --threads 1 --distributed mpi
            """
    )

    @Option(help: "Dataset pipeline: avmnist, memes (single-label) or mmimdb (multi-label).")
    var dataset = "avmnist"

    @Option(help: "Modality to train: image or audio (AV-MNIST), image (MM-IMDB, Memes).")
    var modality: String

    @Option(help: "Dataset folder.")
    var data = "Data/avmnist-sample"

    @Option(help: "Epochs in total (default 20; with --resume, may raise the saved count).")
    var epochs: Int?

    @Option(help: "Weights file to write (default supernet-<dataset>-<modality>.safetensors).")
    var out: String?

    @Flag(help: "Continue from <out>.checkpoint.safetensors.")
    var resume = false

    @Option(help: "sandwich or progressive.")
    var schedule: SupernetTrainingOptions.Schedule = .sandwich

    @Option(help: "Classifier size for a custom dataset (default: the dataset's).")
    var classes: Int?

    @Option(help: "Samples per step (default: 64, or the pipeline's loader batch when smaller: MM-IMDB 16).")
    var batchSize: Int?

    @Option(help: "Peak learning rate.")
    var lr: Float = 0.08

    @Option(help: "Random subnets per sandwich step (besides max and min).")
    var randomSubnets = 1

    @Option(help: "Random translation of training inputs in pixels (default 2 for images, 0 otherwise).")
    var shift: Int?

    @Option(help: "Use only this many samples of each split, evenly spaced (a quick trial).")
    var samples: Int?

    @OptionGroup var threading: ThreadsOption

    @OptionGroup var distribution: DistributedOption

    @Option(help: "Seed of the initial weights and every random stream.")
    var seed: UInt64 = 0

    func run() throws {
        try threading.apply()
        let communicator = try distribution.start(threads: threading)
        let isRoot = communicator?.isRoot ?? true
        func log(_ line: String) { if isRoot { self.log(line) } }
        let registry = makeRegistry()
        let pipeline = try registry.pipelines.make(dataset)
        let space = try StockSupernet.space(dataset: dataset, modality: modality, classes: classes)
        let outURL = URL(fileURLWithPath: out ?? "supernet-\(dataset)-\(modality).safetensors")
        let checkpoint = outURL.deletingPathExtension().appendingPathExtension("checkpoint.safetensors")
        var options = SupernetTrainingOptions()
        options.schedule = schedule
        options.epochs = epochs ?? 20
        options.batchSize = batchSize ?? SupernetTrainingOptions.defaultBatchSize(loaderBatch: pipeline.batchSize)
        options.learningRate = lr
        options.randomSubnets = randomSubnets
        options.maxShift = shift ?? SupernetTraining.defaultMaxShift(modality: modality)
        options.seed = seed
        try options.validate()  // before the data is decoded
        let clock = Date()
        if let samples { try ArgumentRange.check(samples, ArgumentRange.samples, "--samples") }
        let input = try pipeline.input(modality)
        let opened = try pipeline.open(root: URL(fileURLWithPath: data), registry: registry)
        let source = samples.map { opened.subset(samplesPerSplit: $0) } ?? opened
        // A streamed input (MM-IMDB's posters) is decoded batch by batch while training, never a whole split at once;
        // the others are held as tensors (a distributed run compares them whole across the processes).
        let splits = try [pipeline.splits.train, pipeline.splits.test].map { name -> any LabelledSplit in
            let split = try InputSplit(dataset: source, split: name, input: input, threads: Parallel.threads)
            if input.streamed { return split }
            return try split.materialized()
        }
        let (train, test) = (splits[0], splits[1])
        let metric = train.isMultiLabel ? "weighted F1" : "acc"
        log("data: \(train.count) train / \(test.count) test samples of \(train.sampleShape)"
            + (input.streamed ? ", decoded batch by batch" : "") + " (\(SearchRunner.duration(Date().timeIntervalSince(clock))))")

        if resume, !FileManager.default.fileExists(atPath: checkpoint.path) {
            throw HNASError.file(checkpoint.path, "cannot resume from", why: "no such checkpoint (train without --resume first)")
        }
        let training = try SupernetTraining(dataset: dataset, modality: modality, network: OFAMobileNetV3(space: space, seed: seed),
                                            train: train, test: test,
                                            checkpoint: checkpoint, resume: resume, options: options, epochs: epochs,
                                            communicator: communicator)
        let (network, trainer) = (training.network, training.trainer)
        if resume { log("resuming after epoch \(trainer.state.epochsDone) of \(trainer.options.epochs) from \(checkpoint.path)") }
        log("training \(dataset)/\(modality) supernet (\(network.parameterCount) parameters), \(trainer.options.schedule.rawValue), "
            + "\(trainer.options.epochs) epochs, batch \(trainer.options.batchSize), \(Parallel.threads) thread(s)"
            + (communicator.map { " × \($0.size) processes" } ?? ""))
        let start = Date()
        do {
            try training.run(progress: { p in
                guard isRoot else { return }
                FileHandle.standardError.write(Data(String(format: "\repoch %d/%d  step %d/%d  loss %.4f  train %@ %.1f%%  ETA %@   ",
                                                           p.epoch, p.epochs, p.step, p.steps, p.loss, metric, p.accuracy,
                                                           SearchRunner.duration(p.eta)).utf8))
            }, epochDone: { record in
                try training.save(to: outURL, extra: ["max_accuracy": "\(record.maxAccuracy)", "min_accuracy": "\(record.minAccuracy)",
                                                      "metric": train.isMultiLabel ? "weighted_f1" : "top1_accuracy"])
                log(String(format: "\repoch %d/%d  loss %.4f  train %@ %.1f%%  test %@ (BN recalibrated): max %.2f%%  min %.2f%%  %@",
                           record.epoch, trainer.options.epochs, record.loss, metric, record.trainAccuracy, metric, record.maxAccuracy,
                           record.minAccuracy, SearchRunner.duration(record.seconds)))
            })
        } catch {
            log("")  // end the progress line
            throw error
        }
        let last = trainer.state.history.last
        guard isRoot else { return }
        print(String(format: "%@: max subnet %.2f%%, min subnet %.2f%% test %@ after %d epochs; this run %@",
                     outURL.path, last?.maxAccuracy ?? 0, last?.minAccuracy ?? 0, train.isMultiLabel ? "weighted F1" : "accuracy",
                     trainer.state.epochsDone,
                     SearchRunner.duration(Date().timeIntervalSince(start))))
    }

    private func log(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

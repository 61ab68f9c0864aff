import Foundation

/// The supernet training loop shared by `hnas train-supernet` and `hnas search` (which trains the supernets
/// it is missing): a trainer created fresh or continued from its checkpoint, then epoch after epoch a
/// checkpoint written atomically, so a killed training continues where it stopped.
public struct SupernetTraining {
    /// Random translation of training inputs in pixels: 2 for images, none for spectrograms and the rest.
    public static func defaultMaxShift(modality: String) -> Int { modality == "image" ? 2 : 0 }

    public let dataset: String
    public let modality: String
    public let network: OFAMobileNetV3
    public let trainer: SupernetTrainer
    public let checkpoint: URL
    /// Distributed: only rank 0 writes the checkpoint and the weights.
    public let writesFiles: Bool
    private let trainingSamples: Int

    /// A trainer of `network` (a supernet with its initial weights): fresh with `options`, or with `resume`
    /// continuing from `checkpoint` (its saved weights and options apply; `epochs` may raise their total); data-parallel
    /// over `communicator`'s processes when given.
    /// - Throws: `HNASError` for an unreadable checkpoint or options the data cannot train with.
    public init(dataset: String, modality: String, network: OFAMobileNetV3, train: any LabelledSplit, test: any LabelledSplit,
                checkpoint: URL, resume: Bool, options: SupernetTrainingOptions, epochs: Int? = nil,
                communicator: Communicator? = nil) throws {
        self.dataset = dataset
        self.modality = modality
        self.checkpoint = checkpoint
        writesFiles = communicator?.isRoot ?? true
        trainingSamples = train.count
        self.network = network
        if resume {
            trainer = try SupernetTrainer(network: network, train: train, test: test, resumingFrom: checkpoint, epochs: epochs,
                                          communicator: communicator)
        } else {
            var options = options
            if let epochs { options.epochs = epochs }
            trainer = try SupernetTrainer(network: network, train: train, test: test, options: options, communicator: communicator)
        }
    }

    /// Trains the remaining epochs; after each one the checkpoint is written, then `epochDone` gets its record.
    /// - Throws: `HNASError` when an epoch fails (e.g. a non-finite loss: the last good checkpoint is kept and
    ///   named), a file cannot be written, or `epochDone` throws.
    public func run(progress: (SupernetTrainer.Progress) -> Void = { _ in },
             epochDone: (SupernetTrainingState.EpochRecord) throws -> Void) throws {
        while !trainer.isFinished {
            let record: SupernetTrainingState.EpochRecord
            do {
                record = try trainer.runEpoch(progress: progress)
            } catch {
                let kept = trainer.state.epochsDone > 0 ? "kept the last good checkpoint \(checkpoint.path) (epoch \(trainer.state.epochsDone))"
                                                        : "no checkpoint was written"
                throw HNASError.argument("training", why: "stopped in epoch \(trainer.state.epochsDone + 1): \(error); \(kept)")
            }
            if writesFiles { try trainer.saveCheckpoint(to: checkpoint) }
            try epochDone(record)
        }
    }

    /// Saves the network to `url` with metadata saying what it is and what it was trained on, plus `extra`
    /// (distributed: on rank 0 only).
    /// - Throws: `HNASError` when the file cannot be written.
    public func save(to url: URL, extra: [String: String] = [:]) throws {
        guard writesFiles else { return }
        try network.save(to: url, metadata: metadata.merging(extra) { $1 })
    }

    /// What the weights were trained on and how: dataset, modality, classes, epochs, schedule, training samples.
    public var metadata: [String: String] {
        ["dataset": dataset, "modality": modality, "classes": "\(network.space.classes)",
         "epochs": "\(trainer.state.epochsDone)", "schedule": trainer.options.schedule.rawValue,
         "training_samples": "\(trainingSamples)"]
    }
}

import Foundation
import HNASKit

/// Trains a `MaxoutNetwork` on a dataset's text input, as `hnas train-text` does.
///
/// The original ships trained text weights but not the code that trained them, so the recipe is
/// hnas's: Adam, shuffled drop-last batches (the dataset's original batch size by default),
/// MM-IMDB's multi-label loss (binary cross-entropy with logits) or Memes' cross-entropy. After
/// every epoch the network is scored in evaluation mode on the test split with the original's
/// metric: weighted F1 of `sigmoid > 0.3` × 100 (multi-label) or top-1 accuracy in percent.
public final class MaxoutTrainer {
    /// The training settings.
    public struct Options: Sendable {
        public var epochs = 10
        public var batchSize = 16
        public var learningRate: Float = 1e-3
        /// Seeds the batch order.
        public var seed: UInt64 = 0

        public init() {}
    }

    /// What one epoch did.
    public struct EpochRecord: Sendable {
        public let epoch: Int
        /// Mean training loss over the epoch's steps.
        public let loss: Double
        /// Test weighted F1 × 100 (multi-label) or accuracy (%).
        public let testScore: Double
        public let seconds: Double
    }

    /// Where an epoch is, for a progress line.
    public struct Progress: Sendable {
        public let epoch: Int, step: Int, steps: Int
        public let loss: Double
    }

    public let network: MaxoutNetwork
    public let train: TensorDataset
    public let test: TensorDataset
    public let options: Options
    public private(set) var epochsDone = 0
    private let optimizer: Adam
    private var generator: SeededGenerator

    /// - Throws: `HNASError` when the splits do not fit the network (input width, classes, label
    ///   kind), the training split has fewer than 2 samples (train-mode BatchNorm needs a batch of
    ///   at least 2), or an option is out of range.
    public init(network: MaxoutNetwork, train: TensorDataset, test: TensorDataset, options: Options) throws {
        guard options.epochs > 0, options.batchSize >= 2, options.learningRate > 0 else {
            throw HNASError.argument("training options", why: "need epochs > 0, batch size ≥ 2 and a positive learning rate "
                                     + "(got \(options.epochs), \(options.batchSize), \(options.learningRate))")
        }
        for (name, split) in [("train", train), ("test", test)] {
            guard split.sampleShape == [network.inputFeatures] else {
                throw HNASError.argument("\(name) split", why: "text samples are \(split.sampleShape), the network reads [\(network.inputFeatures)]")
            }
            if let multiHot = split.multiHot {
                guard multiHot.shape[1] == network.classes else {
                    throw HNASError.argument("\(name) split", why: "\(multiHot.shape[1]) labels, the network has \(network.classes) outputs")
                }
            } else if let bad = split.labels.first(where: { $0 >= network.classes }) {
                throw HNASError.argument("\(name) split", why: "class \(bad) is out of the network's \(network.classes) outputs")
            }
        }
        guard (train.multiHot == nil) == (test.multiHot == nil) else {
            throw HNASError.argument("splits", why: "one split is multi-label and the other is not")
        }
        guard train.count >= 2 else {
            throw HNASError.argument("train split", why: "has \(train.count) sample(s); training BatchNorm needs at least 2")
        }
        self.network = network
        self.train = train
        self.test = test
        self.options = options
        optimizer = Adam(parameters: network.parameters, learningRate: options.learningRate)
        generator = SeededGenerator(seed: options.seed)
    }

    public var isFinished: Bool { epochsDone >= options.epochs }

    /// One pass over shuffled drop-last training batches, then the test score.
    /// - Throws: `HNASError` on a non-finite loss (the weights of the failing step are not updated).
    public func runEpoch(progress: (Progress) -> Void = { _ in }) throws -> EpochRecord {
        let start = Date()
        let batches = train.shuffledBatches(size: options.batchSize, using: &generator)
        var total = 0.0
        network.train()
        for (step, indices) in batches.enumerated() {
            network.zeroGrad()
            let loss = try Self.loss(logits: try network(train.batch(indices).inputs), of: train, rows: indices)
            try TrainingGuards.requireFinite(loss, step: step + 1)
            try loss.backward()
            try optimizer.step()
            total += Double(loss.item)
            progress(Progress(epoch: epochsDone + 1, step: step + 1, steps: batches.count, loss: total / Double(step + 1)))
        }
        epochsDone += 1
        return EpochRecord(epoch: epochsDone, loss: total / Double(batches.count), testScore: try network.score(on: test),
                           seconds: Date().timeIntervalSince(start))
    }

    /// Binary cross-entropy with logits against the multi-hot rows of `data`, or cross-entropy
    /// against its class labels.
    static func loss(logits: Tensor, of data: TensorDataset, rows: [Int]) throws -> Tensor {
        guard let multiHot = data.multiHot else {
            return try Loss.crossEntropy(logits: logits, labels: rows.map { data.labels[$0] })
        }
        let targets = try Tensor.concat(try rows.map { try multiHot.slice(axis: 0, $0..<$0 + 1) }, axis: 0)
        return try Loss.binaryCrossEntropyWithLogits(logits: logits, targets: targets)
    }
}

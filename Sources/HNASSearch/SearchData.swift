import Foundation
import HNASKit

/// The labelled splits an end-to-end search works on: per pipeline input (searched ones first, then fixed
/// ones, in pairing order) one `InputSplit` per split, all inputs of a split in the same sample order so their
/// features can be fused. Inputs the pipeline marks `streamed` are decoded batch by batch, the others once.
///
/// Protocol `sound` selects on a validation split: the dataset's own (MM-IMDB `dev`, Memes `val`) when the
/// pipeline names one and the folder has it, else one carved from the training data (a shuffle seeded with
/// `validationSeed`, the first `validationFraction` of it). Supernet training, BN recalibration and fusion
/// weights use the training part, selection the validation split, and the test split is only reported.
/// Protocol `original` has no validation split: selection runs on the test split, as Harmonic-NAS does.
public struct SearchData {
    /// The inputs, in pairing order.
    public let inputs: [String]
    public let classes: Int
    /// Per input: training samples (validation samples removed when carved).
    public let train: [InputSplit]
    /// Per input: the validation split (`sound` only).
    public let validation: [InputSplit]?
    /// Per input: the test split.
    public let test: [InputSplit]
    /// Where the validation split came from: the dataset's own split's name, `carved`, or nil (`original`).
    public let validationSource: String?
    /// The fraction of the training split carved as validation split (`carved` only).
    public let validationFraction: Double?

    /// Seed of the validation carve. Fixed, not the run's seed: supernet weights trained by one run (on the
    /// training part only) are reused by runs with other seeds, which must not select on samples they saw.
    public static let validationSeed: UInt64 = 42

    public init(inputs: [String], classes: Int, train: [InputSplit], validation: [InputSplit]?, test: [InputSplit],
                validationSource: String?, validationFraction: Double? = nil) {
        self.inputs = inputs
        self.classes = classes
        self.train = train
        self.validation = validation
        self.test = test
        self.validationSource = validationSource
        self.validationFraction = validationSource == "carved" ? validationFraction : nil
    }

    /// The split backbones and fusion candidates are selected on: validation (`sound`) or test (`original`).
    public var selection: [InputSplit] { validation ?? test }

    /// Whether the validation split was carved from the training split (so weights trained on the whole
    /// training split have seen it).
    public var isCarved: Bool { validationSource == "carved" }

    /// What weights trained on `train` were trained on, for their metadata: the carve (`validation_fraction`,
    /// `validation_seed`), the dataset's own validation split, or the whole training split (`none`), and
    /// `training_samples`. `BackboneWeights.leakageWarning` reads it back.
    public var trainingPartMetadata: [String: String] {
        var metadata = ["training_samples": "\(train[0].count)", "validation_seed": "\(Self.validationSeed)"]
        switch validationSource {
        case nil: metadata["validation_fraction"] = "none"
        case "carved": metadata["validation_fraction"] = "\(validationFraction!)"
        case let split?: metadata["validation_split"] = split
        }
        return metadata
    }

    /// Decodes (or prepares to stream) `pipeline`'s inputs of its splits of `dataset`.
    /// - Parameter validationFraction: the hold-out carved under `sound` when the dataset has no validation
    ///   split of its own; nil under `original`.
    /// - Throws: `HNASError` for an unknown input, an empty split, a decoding error, or a validation fraction
    ///   that leaves either part empty.
    public static func load(_ dataset: Dataset, pipeline: any Pipeline, validationFraction: Double?, threads: Int) throws -> SearchData {
        let inputs = pipeline.inputs
        func split(_ name: String) throws -> [InputSplit] {
            try inputs.map { try InputSplit(dataset: dataset, split: name, input: $0, threads: threads) }
        }
        let names = inputs.map(\.modality)
        let classes = dataset.classNames.count
        let fullTrain = try split(pipeline.splits.train)
        let test = try split(pipeline.splits.test)
        guard let fraction = validationFraction else {
            return SearchData(inputs: names, classes: classes, train: fullTrain, validation: nil, test: test, validationSource: nil)
        }
        if let own = pipeline.splits.validation, dataset.splits.contains(where: { $0.name == own && !$0.samples.isEmpty }) {
            return SearchData(inputs: names, classes: classes, train: fullTrain, validation: try split(own), test: test, validationSource: own)
        }
        let count = fullTrain[0].count
        var generator = SeededGenerator(seed: validationSeed)
        let carve = HoldOutSplit(count: count, fraction: fraction, generator: &generator)
        // At least one sample on each side; the fusion search carves its own minimum from what it gets.
        guard !carve.held.isEmpty, !carve.kept.isEmpty else {
            throw HNASError.argument("validation fraction", why: "\(fraction) of \(count) training samples leaves an empty train or validation split")
        }
        return SearchData(inputs: names, classes: classes, train: try fullTrain.map { try $0.subset(carve.kept) },
                          validation: try fullTrain.map { try $0.subset(carve.held) }, test: test, validationSource: "carved",
                          validationFraction: fraction)
    }
}

import Foundation
import HNASKit

/// The labelled splits an end-to-end search works on, decoded once into memory: per searched input
/// (AV-MNIST: image, audio) one `TensorDataset` per split, all inputs of a split in the same sample
/// order so their features can be fused.
///
/// Protocol `sound` carves a validation split from the training data (a shuffle seeded with `validationSeed`, the first
/// `validationFraction` of it); supernet training, BN recalibration and fusion weights use the rest,
/// backbone and fusion selection use the validation split, and the test split is only reported.
/// Protocol `original` has no validation split: selection runs on the test split, as Harmonic-NAS does.
public struct SearchData {
    /// The searched inputs, in pairing order.
    public let inputs: [String]
    public let classes: Int
    /// Per input: training samples (validation samples removed under `sound`).
    public let train: [TensorDataset]
    /// Per input: the carved validation samples (`sound` only).
    public let validation: [TensorDataset]?
    /// Per input: the test split.
    public let test: [TensorDataset]

    /// Seed of the validation carve. Fixed, not the run's seed: supernet weights trained by one run (on the
    /// training part only) are reused by runs with other seeds, which must not select on samples they saw.
    public static let validationSeed: UInt64 = 42

    /// The split backbones and fusion candidates are selected on: validation (`sound`) or test (`original`).
    public var selection: [TensorDataset] { validation ?? test }

    /// Decodes `inputs` of the `train` and `test` splits of `dataset`.
    /// - Throws: `HNASError` for a multi-label dataset, an unknown input, an empty split, a decoding error,
    ///   or a validation fraction that leaves either part empty.
    public static func load(_ dataset: Dataset, inputs: [String], validationFraction: Double?, threads: Int) throws -> SearchData {
        let fullTrain = try inputs.map { try TensorDataset(dataset: dataset, split: "train", input: $0, threads: threads) }
        let test = try inputs.map { try TensorDataset(dataset: dataset, split: "test", input: $0, threads: threads) }
        guard let fraction = validationFraction else {
            return SearchData(inputs: inputs, classes: dataset.classNames.count, train: fullTrain, validation: nil, test: test)
        }
        let count = fullTrain[0].count
        var generator = SeededGenerator(seed: validationSeed)
        let split = HoldOutSplit(count: count, fraction: fraction, generator: &generator)
        // At least one sample on each side; the fusion search carves its own minimum from what it gets.
        guard !split.held.isEmpty, !split.kept.isEmpty else {
            throw HNASError.argument("validation fraction", why: "\(fraction) of \(count) training samples leaves an empty train or validation split")
        }
        func subset(_ data: TensorDataset, _ rows: [Int]) throws -> TensorDataset {
            let (x, y) = data.batch(rows)
            return try TensorDataset(inputs: x, labels: y)
        }
        return SearchData(inputs: inputs, classes: dataset.classNames.count,
                          train: try fullTrain.map { try subset($0, split.kept) },
                          validation: try fullTrain.map { try subset($0, split.held) }, test: test)
    }
}

/// Which evaluation protocol a fusion search follows (SPEC-fusion §10.3–10.4).
public enum FusionProtocol: String, CaseIterable, Codable, Sendable {
    /// Architecture steps and selection on a validation split carved from the training data,
    /// evaluation in eval mode, the test split used once; the hardware term reaches the
    /// architecture loss.
    case sound
    /// The original's behaviour: architecture steps and selection on the test split, train-mode
    /// evaluation, the hardware term inert.
    case original
}

/// Settings of a fusion search; the defaults are the original's (SPEC-fusion §1.4, §5).
public struct FusionSearchOptions: Codable, Sendable {
    /// Search epochs (the original: 25 for AV-MNIST, 50 for MM-IMDB and Memes).
    public var epochs: Int = 25
    /// Epochs of retraining the derived network (random search, and DARTS in the `sound` protocol).
    public var retrainEpochs: Int = 25
    public var batchSize: Int = 64
    public var seed: UInt64 = 42
    public var fusionProtocol: FusionProtocol = .sound
    /// Common channel width C and length L (a perfect square) of the fusion network.
    public var channels: Int = 192
    public var length: Int = 16
    /// Trailing states concatenated for the output (`multiplier`).
    public var multiplier: Int = 2
    /// Dropout probability of projection layers and operators (`drpt`).
    public var dropout: Float = 0.1
    /// Weight optimiser: Adam, cosine warm restarts between these rates, L2 weight decay.
    public var learningRateMax: Float = 1e-4
    public var learningRateMin: Float = 1e-6
    public var weightDecay: Float = 1e-4
    /// Architecture optimiser: Adam with betas (0.5, 0.999), constant rate, L2 weight decay.
    public var archLearningRate: Float = 3e-4
    public var archWeightDecay: Float = 1e-3
    /// Weight of `√lat_n + √enrg_n` in the architecture loss (`sound` only; 0 disables).
    public var hardwareWeight: Float = 0.1
    /// Fraction of the training split held out for validation when the problem has none (`sound`).
    public var validationFraction: Double = 0.2

    /// The fraction of the training split held out for selection: `validationFraction` under `sound`,
    /// nil under `original` (which selects on the test split and trains on the whole training split).
    public var selectionHoldout: Double? { fusionProtocol == .sound ? validationFraction : nil }

    public init(seed: UInt64 = 42) {
        self.seed = seed
    }

    /// Upper limits checked by `validate` before anything is allocated (README "Input limits"): a fusion
    /// network's tensors are batch × C × L floats per state, so C and L bound the memory of a search.
    public static let maximumEpochs = 10_000
    public static let maximumBatchSize = 65_536
    public static let maximumChannels = 4_096
    public static let maximumLength = 4_096
    public static let maximumMultiplier = 64

    /// - Throws: `HNASError` naming the first setting out of range.
    public func validate() throws {
        func bad(_ name: String, _ why: String) -> HNASError { .argument(name, why: why) }
        func atMost(_ value: Int, _ limit: Int, _ name: String) throws {
            guard value <= limit else { throw bad(name, "\(value) is above the limit of \(limit)") }
        }
        guard epochs >= 1 else { throw bad("epochs", "\(epochs) is not positive") }
        try atMost(epochs, Self.maximumEpochs, "epochs")
        guard retrainEpochs >= 1 else { throw bad("retrain-epochs", "\(retrainEpochs) is not positive") }
        try atMost(retrainEpochs, Self.maximumEpochs, "retrain-epochs")
        guard batchSize >= 2 else { throw bad("batch-size", "\(batchSize) is below 2 (BatchNorm needs two samples)") }
        try atMost(batchSize, Self.maximumBatchSize, "batch-size")
        guard channels >= 1 else { throw bad("channels", "\(channels) is not positive") }
        try atMost(channels, Self.maximumChannels, "channels")
        try atMost(length, Self.maximumLength, "length")
        let side = Int(Double(length).squareRoot().rounded())
        guard length >= 1, side * side == length else { throw bad("length", "\(length) is not a perfect square (L = p·p)") }
        guard multiplier >= 1 else { throw bad("multiplier", "\(multiplier) is not positive") }
        try atMost(multiplier, Self.maximumMultiplier, "multiplier")
        guard (0..<1).contains(dropout) else { throw bad("dropout", "\(dropout) is not in [0, 1)") }
        guard hardwareWeight >= 0 else { throw bad("hardware-weight", "\(hardwareWeight) is negative") }
        guard validationFraction > 0, validationFraction < 1 else {
            throw bad("validation-fraction", "\(validationFraction) is not in (0, 1)")
        }
    }
}

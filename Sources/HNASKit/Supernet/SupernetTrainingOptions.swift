/// Settings of `SupernetTrainer`. The original publishes no supernet training (SPEC-backbone §5.1);
/// these defaults are hnas's own choice for small data (OFA's optimiser: SGD, Nesterov momentum
/// 0.9, cosine learning rate with warm-up, label smoothing 0.1, no decay on BN/bias), and are saved
/// in every checkpoint so a resumed run continues with the same ones.
public struct SupernetTrainingOptions: Codable, Equatable, Sendable {
    /// How subnets are sampled per step.
    public enum Schedule: String, Codable, CaseIterable, Sendable {
        /// Sandwich rule with in-place distillation: every step trains the max subnet on the labels
        /// and `randomSubnets` random subnets plus the min subnet on the max subnet's soft labels.
        case sandwich
        /// OFA progressive shrinking in four equal phases — full network; elastic kernel; + elastic
        /// depth; + elastic expand ratio — each subnet distilled from the full network as trained in phase 1.
        case progressive
    }

    public var schedule: Schedule = .sandwich
    public var epochs = 20
    public var batchSize = 64
    public var learningRate: Float = 0.08
    public var momentum: Float = 0.9
    public var weightDecay: Float = 3e-5
    public var labelSmoothing: Float = 0.1
    /// Random subnets per sandwich step (besides max and min).
    public var randomSubnets = 1
    /// Linear warm-up length in epochs before the cosine decay.
    public var warmupEpochs = 1
    /// Gradient-norm clipping (0: off).
    public var gradientClip: Float = 5
    /// Training augmentation: random translation of each input by up to this many pixels (0: off).
    public var maxShift = 0
    public var seed: UInt64 = 0

    public init() {}

    /// The default training batch, or the data's loader batch (`Pipeline.batchSize`) when that is smaller:
    /// MM-IMDB's 224² posters train 16 per step.
    public static func defaultBatchSize(loaderBatch: Int?) -> Int {
        Swift.min(Self().batchSize, loaderBatch ?? .max)
    }

    /// Upper limits checked by `validate` (README "Input limits").
    public static let maximumEpochs = 10_000
    public static let maximumBatchSize = 65_536
    public static let maximumRandomSubnets = 64
    public static let maximumShift = 64

    /// Checks every setting before a trainer is built (a batch of 0 used to trap, 0 epochs to write untrained weights).
    /// - Throws: `HNASError.argument` naming the flag and the allowed range.
    public func validate() throws {
        func check(_ value: Int, _ range: ClosedRange<Int>, _ flag: String) throws {
            guard range.contains(value) else {
                throw HNASError.argument(flag, why: "must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
            }
        }
        try check(epochs, 1...Self.maximumEpochs, "--epochs")
        try check(batchSize, 2...Self.maximumBatchSize, "--batch-size")
        try check(randomSubnets, 0...Self.maximumRandomSubnets, "--random-subnets")
        try check(maxShift, 0...Self.maximumShift, "--shift")
        try check(warmupEpochs, 0...Self.maximumEpochs, "warm-up epochs")
        for (value, flag) in [(learningRate, "--lr"), (momentum, "momentum"), (weightDecay, "weight decay"),
                              (labelSmoothing, "label smoothing"), (gradientClip, "gradient clip")] where !(value.isFinite && value >= 0) {
            throw HNASError.argument(flag, why: "must be a finite non-negative number, got \(value)")
        }
        guard learningRate > 0 else { throw HNASError.argument("--lr", why: "must be positive, got \(learningRate)") }
    }

    /// The phase (0…3) of progressive shrinking at `epoch` (0-based).
    public func progressivePhase(epoch: Int) -> Int { Swift.min(3, epoch * 4 / Swift.max(epochs, 1)) }
}

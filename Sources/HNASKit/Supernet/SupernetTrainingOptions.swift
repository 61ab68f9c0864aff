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

    /// The phase (0…3) of progressive shrinking at `epoch` (0-based).
    public func progressivePhase(epoch: Int) -> Int { Swift.min(3, epoch * 4 / Swift.max(epochs, 1)) }
}

/// Everything besides tensors that a supernet training checkpoint must restore: the options, the
/// progress counters, every random stream and the per-epoch history.
public struct SupernetTrainingState: Codable, Equatable, Sendable {
    /// The summary of one finished epoch.
    public struct EpochRecord: Codable, Equatable, Sendable {
        public var epoch: Int
        public var loss: Double
        /// Training accuracy (%) of the max subnet (sandwich) or of the trained subnets (progressive);
        /// for multi-label data their weighted F1 (%) (the fields keep their names so checkpoints stay readable).
        public var trainAccuracy: Double
        /// Test accuracy (weighted F1 for multi-label data, %) after BN recalibration of the max and min subnets.
        public var maxAccuracy: Double
        public var minAccuracy: Double
        public var seconds: Double
    }

    public var options: SupernetTrainingOptions
    public var epochsDone = 0
    /// Optimiser steps taken (the learning-rate schedule's position).
    public var step = 0
    public var shuffle: SeededGenerator
    public var sampling: SeededGenerator
    public var augmentation: SeededGenerator
    public var evaluation: SeededGenerator
    public var dropout: SeededGenerator?
    public var history: [EpochRecord] = []

    init(options: SupernetTrainingOptions, shuffle: SeededGenerator, sampling: SeededGenerator, augmentation: SeededGenerator,
         evaluation: SeededGenerator, dropout: SeededGenerator?) {
        self.options = options
        self.shuffle = shuffle
        self.sampling = sampling
        self.augmentation = augmentation
        self.evaluation = evaluation
        self.dropout = dropout
    }
}

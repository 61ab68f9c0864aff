/// Batch normalisation over axis 1 of [N, C], [N, C, L] or [N, C, H, W] (PyTorch's BatchNorm1d/2d).
///
/// Training mode normalises with batch statistics and folds them into the running averages:
/// `running = (1 − m)·running + m·batch` with `momentum` m (default 0.1), or, with `momentum == nil`,
/// the cumulative average over the batches since the last `resetRunningStatistics()` (PyTorch's
/// `momentum=None`, used for subnet BN recalibration). The running variance takes the unbiased
/// batch variance. Evaluation mode uses the running statistics.
///
/// Elastic use: an input with fewer channels C than `features` uses (and in training updates)
/// the first C entries of every parameter and statistic, as OFA's dynamic BN does.
///
/// Synchronised: with a `statisticsReducer`, training mode takes its statistics over the global
/// batch whose shards the processes of a data-parallel training hold (see `batchNormTraining`),
/// so every process folds the same statistics into identical running averages.
public final class BatchNorm: Layer {
    public let features: Int
    public var eps: Float
    public var momentum: Float?
    public let weight: Parameter
    public let bias: Parameter
    public let runningMean: Buffer
    public let runningVar: Buffer
    public let batchesTracked: Buffer
    public var isTraining = true
    /// Sums training-mode statistics over the processes of a data-parallel training (nil: this batch's own).
    public var statisticsReducer: BatchStatisticsReducer?

    public init(features: Int, eps: Float = 1e-5, momentum: Float? = 0.1) {
        self.features = features
        self.eps = eps
        self.momentum = momentum
        weight = Parameter(Tensor(repeating: 1, shape: [features]), name: "weight")
        bias = Parameter(Tensor(zeros: [features]), name: "bias")
        runningMean = Buffer(Tensor(zeros: [features]))
        runningVar = Buffer(Tensor(repeating: 1, shape: [features]))
        batchesTracked = Buffer(Tensor(zeros: []), isInteger: true)
    }

    public var localParameters: [(String, Parameter)] { [("weight", weight), ("bias", bias)] }
    public var localBuffers: [(String, Buffer)] {
        [("running_mean", runningMean), ("running_var", runningVar), ("num_batches_tracked", batchesTracked)]
    }

    /// Running mean 0, variance 1, no batches tracked (before recalibration).
    public func resetRunningStatistics() {
        runningMean.value = Tensor(zeros: [features])
        runningVar.value = Tensor(repeating: 1, shape: [features])
        batchesTracked.value = Tensor(zeros: [])
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try forward(x, activation: .identity)
    }

    /// Batch norm followed by `activation`, fused into one pass where the activation allows
    /// (`Sequential` uses this for a BatchNorm directly followed by an `ActivationLayer`).
    public func forward(_ x: Tensor, activation: Activation) throws -> Tensor {
        guard x.rank >= 2, x.shape[1] <= features else {
            throw HNASError.op("BatchNorm", why: "input \(x.shape) does not have at most \(features) channels on axis 1")
        }
        let c = x.shape[1]
        let w = try weight.value.slice(axis: 0, 0..<c)
        let b = try bias.value.slice(axis: 0, 0..<c)
        guard isTraining else {
            return try Tensor.batchNormInference(x, weight: w, bias: b, mean: try runningMean.value.slice(axis: 0, 0..<c),
                                                 variance: try runningVar.value.slice(axis: 0, 0..<c), eps: eps, activation: activation)
        }
        let (y, stats) = try Tensor.batchNormTraining(x, weight: w, bias: b, eps: eps, activation: activation, reducer: statisticsReducer)
        let tracked = batchesTracked.value.item + 1
        batchesTracked.value = Tensor(repeating: tracked, shape: [])
        let factor = momentum ?? 1 / tracked
        fold(stats.mean, into: runningMean, factor: factor)
        fold(stats.unbiasedVariance, into: runningVar, factor: factor)
        return y
    }

    /// This batch norm over its first `channels` channels, in evaluation mode, followed by `activation` and,
    /// with `gated`, a GLU along channels, as the epilogue of the 1×1 convolution that feeds it
    /// (`Tensor.pointwiseConv(_:weight:bias:epilogue:)`): the same result without a pass of its own.
    /// `nil` where it cannot stand in for `forward`: in training mode, while gradients are recorded, or
    /// for an activation batch norm does not fuse.
    /// - Throws: `HNASError` for more channels than `features`, or a GLU over an odd channel count.
    public func inferenceEpilogue(channels: Int, activation: Activation = .identity, gated: Bool = false) throws -> ChannelEpilogue? {
        guard channels <= features else {
            throw HNASError.op("BatchNorm", why: "\(channels) channels for \(features) features")
        }
        guard !isTraining, !Autograd.isRecording, FusedActivation.fuses(activation) else { return nil }
        let c = 0..<channels
        return try ChannelEpilogue(mean: runningMean.value.slice(axis: 0, c), variance: runningVar.value.slice(axis: 0, c),
                                   weight: weight.value.slice(axis: 0, c), bias: bias.value.slice(axis: 0, c), eps: eps,
                                   activation: activation, gated: gated)
    }

    /// This batch norm over the first `channels` channels and `activation` after `convolution`: called
    /// with the `inferenceEpilogue` that runs both inside the convolution (one pass over memory less, same
    /// result), or where there is none (training, gradients recorded, an activation that does not fuse)
    /// with `nil` and followed by `forward`.
    public func after(_ convolution: (ChannelEpilogue?) throws -> Tensor, channels: Int, activation: Activation = .identity) throws -> Tensor {
        if let epilogue = try inferenceEpilogue(channels: channels, activation: activation) { return try convolution(epilogue) }
        return try forward(try convolution(nil), activation: activation)
    }

    /// `buffer[:C] = (1 − factor)·buffer[:C] + factor·batch`.
    private func fold(_ batch: Tensor, into buffer: Buffer, factor: Float) {
        buffer.value.withUnsafeMutableBufferPointer { r in
            batch.withUnsafeBufferPointer { s in
                for i in 0..<s.count { r[i] = (1 - factor) * r[i] + factor * s[i] }
            }
        }
    }
}

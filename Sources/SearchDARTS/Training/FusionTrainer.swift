import HNASKit

/// Trains a fusion network's weights and measures it: the parts shared by the DARTS search and the
/// retraining of derived networks (SPEC-fusion §5.1–5.3).
///
/// Weights: Adam (betas 0.9/0.999, L2 weight decay added to the gradient) with the original's
/// warm-restart cosine rate set before every batch; the weight loss is `√ℓ` (plus the hardware term,
/// which has no gradient with respect to the weights).
final class FusionTrainer {
    let options: FusionSearchOptions
    let optimizer: Adam
    private var schedule: OriginalWarmRestarts
    private var generator: SeededGenerator

    init(weights: [Parameter], samples: Int, options: FusionSearchOptions, generator: SeededGenerator) {
        self.options = options
        optimizer = Adam(parameters: weights, learningRate: options.learningRateMax, beta1: 0.9, beta2: 0.999,
                         eps: 1e-8, weightDecay: options.weightDecay)
        schedule = OriginalWarmRestarts(etaMax: options.learningRateMax, etaMin: options.learningRateMin,
                                        samples: samples, batchSize: options.batchSize)
        self.generator = generator
    }

    /// One pass of weight updates over shuffled full batches in training mode; returns the mean
    /// loss per sample (NaN when any batch's loss was NaN).
    /// - Parameter extraLoss: a term added to every batch's loss (the inert hardware term of `original`).
    func trainEpoch(_ network: any FusionNetwork, on split: PooledSplit,
                    extraLoss: (() throws -> Tensor)? = nil) throws -> Double {
        network.train()
        var total = 0.0, samples = 0
        for batch in split.shuffledBatches(size: options.batchSize, generator: &generator) {
            total += Double(try step(network, on: batch, extraLoss: extraLoss)) * Double(batch.count)
            samples += batch.count
        }
        return total / Double(max(samples, 1))
    }

    /// One weight update on `batch`, in whatever train/eval mode the network is in: loss `√ℓ`
    /// (plus `extraLoss`), the schedule's next rate, backward, Adam. Returns the loss.
    @discardableResult
    func step(_ network: any FusionNetwork, on batch: PooledSplit, extraLoss: (() throws -> Tensor)? = nil) throws -> Float {
        network.zeroGrad()
        var loss = try FusionTask.loss(network(batch.features), batch.labels).sqrt()
        if let extraLoss { loss = try loss + extraLoss() }
        optimizer.learningRate = schedule.next()
        try loss.backward()
        try optimizer.step()
        return loss.item
    }

    /// Loss (mean ℓ per sample) and metric (percent) over `split` without gradients, in training
    /// mode (the original's measurement: dropout on, batch statistics) or evaluation mode.
    static func evaluate(_ network: any FusionNetwork, on split: PooledSplit, batchSize: Int,
                         trainingMode: Bool) throws -> (loss: Double, metric: Double) {
        network.train(trainingMode)
        defer { network.train() }
        return try Autograd.withoutGrad {
            var logits: [Tensor] = [], total = 0.0
            for batch in split.orderedBatches(size: batchSize) {
                let out = try network(batch.features)
                total += Double(try FusionTask.loss(out, batch.labels).item) * Double(batch.count)
                logits.append(out)
            }
            return (total / Double(split.count), try FusionTask.metric(try Tensor.concat(logits, axis: 0), split.labels))
        }
    }
}

import HNASKit

/// The two updates of a first-order DARTS iteration on the supernet, as `BilevelSearch` repeats
/// them (SPEC-fusion §5.1, §5.3–5.4): weight steps on training batches, architecture steps on
/// selection batches. The steps leave the network's train/eval mode alone; the epoch loops set it.
///
/// - Weight step (`FusionTrainer`): Adam (0.9, 0.999, L2 decay) at the warm-restart rate on `√ℓ`;
///   in `original` plus `√lat_n + √enrg_n`, which has no gradient for the weights and only leaves
///   one on `gammas` — cleared by the next architecture step, so the term is inert (§5.4).
/// - Architecture step: the architecture gradients cleared, loss `ℓ` (in `sound` plus
///   `hardwareWeight·(√lat_n + √enrg_n)`), Adam (0.5, 0.999, L2 decay) at a constant rate.
final class DARTSIteration {
    let network: SearchNetwork
    let trainer: FusionTrainer
    let archOptimizer: Adam
    private let hardware: HardwareTerm?
    private let fusionProtocol: FusionProtocol
    private let archHardwareWeight: Float

    /// - Parameters:
    ///   - weightSamples: the size of the weight split (the schedule's batches per epoch come from it).
    ///   - generator: the stream that shuffles the weight batches.
    init(network: SearchNetwork, weightSamples: Int, options: FusionSearchOptions, hardware: HardwareTerm?,
         generator: SeededGenerator) {
        self.network = network
        self.hardware = hardware
        fusionProtocol = options.fusionProtocol
        archHardwareWeight = options.fusionProtocol == .sound ? options.hardwareWeight : 0
        trainer = FusionTrainer(weights: network.parameters, samples: weightSamples, options: options, generator: generator)
        archOptimizer = Adam(parameters: network.architectureParameters, learningRate: options.archLearningRate,
                             beta1: 0.5, beta2: 0.999, eps: 1e-8, weightDecay: options.archWeightDecay)
    }

    private var gammas: [Parameter] { network.cells.map(\.gammas) }

    /// The term added to the weight loss: the hardware term in `original` (inert), nothing in `sound`.
    private var weightLossExtra: (() throws -> Tensor)? {
        guard fusionProtocol == .original, let hardware else { return nil }
        let gammas = gammas
        return { try hardware(gammas: gammas) }
    }

    /// One pass of weight steps over shuffled batches in training mode; the mean loss per sample.
    func weightEpoch(on split: PooledSplit) throws -> Double {
        try trainer.trainEpoch(network, on: split, extraLoss: weightLossExtra)
    }

    /// One weight step on `batch`; returns its loss.
    @discardableResult
    func weightStep(on batch: PooledSplit) throws -> Float {
        try trainer.step(network, on: batch, extraLoss: weightLossExtra)
    }

    /// One architecture step on `batch`; returns its loss. The weights' gradients it leaves behind
    /// are never used (the next weight step clears them).
    @discardableResult
    func architectureStep(on batch: PooledSplit) throws -> Float {
        for p in network.architectureParameters { p.zeroGrad() }
        var loss = try FusionTask.loss(network(batch.features), batch.labels)
        if archHardwareWeight > 0, let hardware { loss = try loss + archHardwareWeight * hardware(gammas: gammas) }
        try loss.backward()
        try archOptimizer.step()
        return loss.item
    }
}

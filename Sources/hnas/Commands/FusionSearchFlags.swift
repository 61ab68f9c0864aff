import ArgumentParser
import HNASKit
import HNASSearch

/// The fusion-search settings shared by `hnas fusion-search` and `hnas bench fusion`.
struct FusionSearchFlags: ParsableArguments {
    @Option(help: "Fusion cells S.") var steps = 2
    @Option(help: "Fusion operators per cell T.") var nodeSteps = 1
    @Option(help: "Search epochs.") var epochs = 25
    @Option(help: "Retraining epochs of the derived (or random) network.") var retrainEpochs = 25
    @Option(help: "Batch size.") var batchSize = 64
    @Option(help: "Protocol: sound or original.") var `protocol` = "sound"
    @Option(help: "Weight of the hardware term in the architecture loss (sound protocol; 0 disables).") var hardwareWeight: Float = 0.1
    @Option(help: "Common channel width C.") var channels = 192
    @Option(help: "Common length L (a perfect square).") var length = 16
    @Option(help: "Maximum weight learning rate (cosine warm restarts down to 1/100 of it).") var lr: Float = 1e-4
    @Option(help: "Architecture learning rate.") var archLr: Float = 3e-4

    /// The search options for `seed`, every flag range-checked first (`ArgumentRange`).
    /// - Throws: `HNASError` naming the flag for an unknown protocol or a value out of range.
    func options(seed: UInt64) throws -> FusionSearchOptions {
        try ArgumentRange.check(steps, ArgumentRange.fusionSteps, "--steps")
        try ArgumentRange.check(nodeSteps, ArgumentRange.fusionSteps, "--node-steps")
        try ArgumentRange.check(epochs, ArgumentRange.fusionEpochs, "--epochs")
        try ArgumentRange.check(retrainEpochs, ArgumentRange.fusionEpochs, "--retrain-epochs")
        try ArgumentRange.check(batchSize, ArgumentRange.trainingBatch, "--batch-size")
        try ArgumentRange.check(channels, ArgumentRange.channels, "--channels")
        try ArgumentRange.check(length, ArgumentRange.length, "--length")
        try ArgumentRange.check(hardwareWeight, ArgumentRange.hardwareWeight, "--hardware-weight")
        try ArgumentRange.checkPositive(lr, atMost: ArgumentRange.maximumLearningRate, "--lr")
        try ArgumentRange.checkPositive(archLr, atMost: ArgumentRange.maximumLearningRate, "--arch-lr")
        var options = FusionSearchOptions(seed: seed)
        guard let chosen = FusionProtocol(rawValue: self.protocol) else {
            throw HNASError.argument("--protocol", why: "'\(self.protocol)' is not sound or original")
        }
        options.fusionProtocol = chosen
        options.epochs = epochs
        options.retrainEpochs = retrainEpochs
        options.batchSize = batchSize
        options.hardwareWeight = hardwareWeight
        options.channels = channels
        options.length = length
        options.learningRateMax = lr
        options.learningRateMin = lr / 100
        options.archLearningRate = archLr
        do { try options.validate() } catch let error as HNASError {
            throw HNASError.argument("--\(error.subjectName)", why: error.why)  // L not a perfect square
        }
        return options
    }
}

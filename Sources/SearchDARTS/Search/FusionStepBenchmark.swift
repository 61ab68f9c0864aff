import HNASKit

/// One step of each kind the DARTS fusion search repeats, on random pooled features, for timing by
/// `hnas bench fusion-step`: a weight step (forward, `√CE`, backward, Adam with L2 decay), an
/// architecture step (forward, CE, backward, Adam with betas 0.5/0.999) and an evaluation-mode
/// forward without gradients, all on the searchable supernet. The steps are the search's own
/// (`DARTSIteration` with the default options and no hardware term).
public final class FusionStepBenchmark {
    private let network: SearchNetwork
    private let batch: PooledSplit
    private let iteration: DARTSIteration

    /// - Throws: `HNASError` for a macro-architecture the search space cannot hold.
    public init(inputChannels: [Int], batch: Int, classes: Int, steps: Int, nodeSteps: Int,
                channels: Int = 192, length: Int = 16, seed: UInt64 = 0) throws {
        var generator = SeededGenerator(seed: seed)
        let shape = FusionShape(inputChannels: inputChannels, channels: channels, length: length, outputs: classes,
                                steps: steps, nodeSteps: nodeSteps)
        network = try SearchNetwork(shape: shape, generator: &generator)
        let inputs = inputChannels.map { WeightInit.normal([batch, $0, length], std: 1, generator: &generator) }
        let labels = (0..<batch).map { _ in generator.int(below: classes) }
        self.batch = PooledSplit(features: inputs, labels: .classes(labels, classes: classes))
        var options = FusionSearchOptions(seed: seed)
        options.batchSize = batch
        iteration = DARTSIteration(network: network, weightSamples: batch, options: options, hardware: nil,
                                   generator: generator.fork())
    }

    /// Trainable weights (architecture parameters excluded).
    public var weightCount: Int { network.parameters.reduce(0) { $0 + $1.value.count } }

    /// One weight step in training mode; returns the loss.
    @discardableResult
    public func weightStep() throws -> Float {
        network.train()
        return try iteration.weightStep(on: batch)
    }

    /// One architecture step in training mode; returns the loss.
    @discardableResult
    public func architectureStep() throws -> Float {
        network.train()
        let loss = try iteration.architectureStep(on: batch)
        network.zeroGrad()
        return loss
    }

    /// One evaluation-mode forward without gradients.
    public func inference() throws {
        network.eval()
        defer { network.train() }
        _ = try Autograd.withoutGrad { try network(batch.features) }
    }
}

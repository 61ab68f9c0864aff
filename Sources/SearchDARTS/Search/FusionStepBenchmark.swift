import HNASKit

/// One step of each kind the DARTS fusion search repeats, on random pooled features, for timing by
/// `hnas bench fusion-step`: a weight step (forward, `√CE`, backward, Adam with L2 decay), an
/// architecture step (forward, CE, backward, Adam with betas 0.5/0.999) and an evaluation-mode
/// forward without gradients, all on the searchable supernet.
public final class FusionStepBenchmark {
    private let network: SearchNetwork
    private let inputs: [Tensor]
    private let labels: [Int]
    private let weightOptimizer: Adam
    private let archOptimizer: Adam

    /// - Throws: `HNASError` for a macro-architecture the search space cannot hold.
    public init(inputChannels: [Int], batch: Int, classes: Int, steps: Int, nodeSteps: Int,
                channels: Int = 192, length: Int = 16, seed: UInt64 = 0) throws {
        var generator = SeededGenerator(seed: seed)
        let shape = FusionShape(inputChannels: inputChannels, channels: channels, length: length, outputs: classes,
                                steps: steps, nodeSteps: nodeSteps)
        network = try SearchNetwork(shape: shape, generator: &generator)
        inputs = inputChannels.map { WeightInit.normal([batch, $0, length], std: 1, generator: &generator) }
        labels = (0..<batch).map { _ in generator.int(below: classes) }
        weightOptimizer = Adam(parameters: network.parameters, learningRate: 1e-4, weightDecay: 1e-4)
        archOptimizer = Adam(parameters: network.architectureParameters, learningRate: 3e-4, beta1: 0.5, beta2: 0.999,
                             weightDecay: 1e-3)
    }

    /// Trainable weights (architecture parameters excluded).
    public var weightCount: Int { network.parameters.reduce(0) { $0 + $1.value.count } }

    /// One weight step in training mode; returns the loss.
    @discardableResult
    public func weightStep() throws -> Float {
        network.train()
        network.zeroGrad()
        let loss = try Loss.crossEntropy(logits: network(inputs), labels: labels).sqrt()
        try loss.backward()
        try weightOptimizer.step()
        return loss.item
    }

    /// One architecture step in training mode; returns the loss.
    @discardableResult
    public func architectureStep() throws -> Float {
        network.train()
        for p in network.architectureParameters { p.zeroGrad() }
        let loss = try Loss.crossEntropy(logits: network(inputs), labels: labels)
        try loss.backward()
        try archOptimizer.step()
        network.zeroGrad()
        return loss.item
    }

    /// One evaluation-mode forward without gradients.
    public func inference() throws {
        network.eval()
        defer { network.train() }
        _ = try Autograd.withoutGrad { try network(inputs) }
    }
}

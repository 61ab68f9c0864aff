import HNASKit

/// A derived fusion network (genotype + trained weights) as deployed: evaluation-mode inference on
/// unpooled backbone features and emission as an inference graph. The weights use the derived
/// network's state-dict names (`reshape_layers.K.*`, `fusion_net.cells.I.node_ops.T.<Op>.*`, `head.*`).
public final class TrainedFusionNetwork: GraphEmittingFusion {
    let network: DerivedNetwork
    public let genotype: FusionGenotype
    /// Channels of each input node's backbone feature.
    public let inputChannels: [Int]
    /// Common channel width C and length L of the fusion network.
    public let channels: Int
    public let length: Int
    public let outputs: Int

    /// - Parameter source: names the weights in errors (a file path).
    /// - Throws: `HNASError` when the genotype does not fit the sizes or a weight is missing or mis-shaped.
    public init(genotype: FusionGenotype, inputChannels: [Int], channels: Int, length: Int, outputs: Int,
                weights: SafeTensors, source: String) throws {
        var unused = SeededGenerator(seed: 0)
        network = try Self.network(genotype, inputChannels, channels, length, outputs, &unused)
        try network.load(stateDict: weights, source: source)
        network.eval()
        self.genotype = genotype
        self.inputChannels = inputChannels
        self.channels = channels
        self.length = length
        self.outputs = outputs
    }

    /// A network of freshly drawn weights (and BatchNorm statistics drawn around 0 and 1, so folding
    /// them is exercised): test and fixture material, not a trained model.
    public static func random(genotype: FusionGenotype, inputChannels: [Int], channels: Int, length: Int, outputs: Int,
                              seed: UInt64) throws -> TrainedFusionNetwork {
        var g = SeededGenerator(seed: seed)
        let network = try Self.network(genotype, inputChannels, channels, length, outputs, &g)
        for case let bn as BatchNorm in network.namedModules().map(\.1) {
            bn.runningMean.value = try Tensor(shape: [bn.features], scalars: (0..<bn.features).map { _ in 0.2 * Float(g.normal()) })
            bn.runningVar.value = try Tensor(shape: [bn.features], scalars: (0..<bn.features).map { _ in 0.5 + Float(g.uniform()) })
        }
        return try TrainedFusionNetwork(genotype: genotype, inputChannels: inputChannels, channels: channels, length: length,
                                        outputs: outputs, weights: network.stateDict(), source: "random weights")
    }

    private static func network(_ genotype: FusionGenotype, _ inputChannels: [Int], _ channels: Int, _ length: Int, _ outputs: Int,
                                _ g: inout SeededGenerator) throws -> DerivedNetwork {
        let shape = FusionShape(inputChannels: inputChannels, channels: channels, length: length, outputs: outputs,
                                steps: genotype.steps.count, nodeSteps: genotype.steps.first?.innerSteps.count ?? 1)
        return try DerivedNetwork(genotype: genotype, shape: shape, generator: &g)
    }

    /// The weights under their state-dict names.
    public func stateDict() -> SafeTensors { network.stateDict() }

    /// Logits [N, outputs] from the unpooled backbone features of every input node (evaluation mode).
    /// - Throws: `HNASError` when the features do not fit.
    public func logits(features: [Tensor]) throws -> Tensor {
        try Autograd.withoutGrad { try network(try features.map { try FeaturePooling.pool($0, length: length) }) }
    }

    /// Emits the network on the unpooled backbone features (see `DerivedNetwork.emitGraph`) and returns the logits.
    public func emitGraph(features: [GraphValue], into builder: GraphBuilder, foldBatchNorm: Bool = true) throws -> GraphValue {
        try network.emitGraph(features: features, length: length, into: builder, foldBatchNorm: foldBatchNorm)
    }
}

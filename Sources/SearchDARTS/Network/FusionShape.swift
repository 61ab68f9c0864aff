import HNASKit

/// The sizes a fusion network is built for: the input nodes' channels, the common `[C, L]`,
/// the number of outputs and the macro-architecture.
struct FusionShape {
    var inputChannels: [Int]
    var channels: Int
    var length: Int
    var outputs: Int
    var steps: Int
    var nodeSteps: Int
    var multiplier: Int
    var dropout: Float

    var inputNodes: Int { inputChannels.count }

    init(problem: FusionProblem, options: FusionSearchOptions) {
        inputChannels = problem.train.channels
        channels = options.channels
        length = options.length
        outputs = problem.train.labels.outputs
        steps = problem.steps
        nodeSteps = problem.nodeSteps
        multiplier = options.multiplier
        dropout = options.dropout
    }

    init(inputChannels: [Int], channels: Int, length: Int, outputs: Int, steps: Int, nodeSteps: Int,
         multiplier: Int = 2, dropout: Float = 0.1) {
        self.inputChannels = inputChannels
        self.channels = channels
        self.length = length
        self.outputs = outputs
        self.steps = steps
        self.nodeSteps = nodeSteps
        self.multiplier = multiplier
        self.dropout = dropout
    }

    /// - Throws: `HNASError` for a macro-architecture the search space cannot hold: fewer than two
    ///   input nodes (a cell takes a pair), non-positive sizes, or more concatenated states than exist.
    func validate() throws {
        guard inputNodes >= 2 else {
            throw HNASError.argument("fusion input nodes", why: "\(inputNodes) input node(s); each fusion cell keeps two input edges, so at least 2 are needed")
        }
        guard steps >= 1, nodeSteps >= 1 else {
            throw HNASError.argument("steps/node-steps", why: "\(steps)/\(nodeSteps) must both be positive")
        }
        guard multiplier >= 1, multiplier <= inputNodes + steps else {
            throw HNASError.argument("multiplier", why: "\(multiplier) concatenated states but only \(inputNodes + steps) states exist")
        }
        guard channels >= 1, outputs >= 1, inputChannels.allSatisfy({ $0 >= 1 }) else {
            throw HNASError.argument("fusion sizes", why: "channels \(channels), outputs \(outputs), inputs \(inputChannels) must be positive")
        }
    }

    /// One projection layer per input node.
    func makeReshapeLayers(generator: inout SeededGenerator) -> [ReshapeLayer] {
        inputChannels.map { ReshapeLayer(inChannels: $0, channels: channels, dropout: dropout, generator: &generator) }
    }
}

/// What a fusion search is asked to solve: cached features of the splits and the
/// macro-architecture (`steps` fusion cells of `nodeSteps` operators each, SPEC-fusion §2).
public struct FusionProblem: Sendable {
    public var train: FusionSplit
    /// A held-out split for architecture steps and selection; `nil` lets the `sound` protocol
    /// carve one from `train`.
    public var validation: FusionSplit?
    public var test: FusionSplit
    public var steps: Int
    public var nodeSteps: Int
    /// Display names of the input nodes (genotype plots), e.g. `Image_1 … Audio_4`.
    public var inputNames: [String]

    /// The most fusion cells, and operators per cell, a problem may ask for (the stock macro spaces use at most 5).
    public static let maximumSteps = 16

    /// - Throws: `HNASError` when the splits disagree on the input nodes (count, channels, label
    ///   kind or width) or the macro-architecture is not between 1 and `maximumSteps`.
    public init(train: FusionSplit, validation: FusionSplit?, test: FusionSplit, steps: Int, nodeSteps: Int,
                inputNames: [String]? = nil) throws {
        guard steps >= 1 else { throw HNASError.argument("steps", why: "\(steps) is not a positive number of fusion cells") }
        guard nodeSteps >= 1 else {
            throw HNASError.argument("node-steps", why: "\(nodeSteps) is not a positive number of fusion operators per cell")
        }
        for (value, name) in [(steps, "steps"), (nodeSteps, "node-steps")] where value > Self.maximumSteps {
            throw HNASError.argument(name, why: "\(value) is above the limit of \(Self.maximumSteps)")
        }
        for (name, split) in [("validation", validation), ("test", test)] {
            guard let split else { continue }
            guard split.channels == train.channels else {
                throw HNASError.argument("fusion \(name) features",
                                         why: "input-node channels \(split.channels) differ from the training split's \(train.channels)")
            }
            guard split.labels.outputs == train.labels.outputs, split.labels.isMultiLabel == train.labels.isMultiLabel else {
                throw HNASError.argument("fusion \(name) labels", why: "label kind or width differs from the training split's")
            }
        }
        let names = inputNames ?? (1...train.inputNodes).map { "Input_\($0)" }
        guard names.count == train.inputNodes else {
            throw HNASError.argument("input names", why: "\(names.count) names for \(train.inputNodes) input nodes")
        }
        self.train = train
        self.validation = validation
        self.test = test
        self.steps = steps
        self.nodeSteps = nodeSteps
        self.inputNames = names
    }

    /// The problem for the outer search's macro-architecture (`cells` = S, `nodes` = T).
    public init(train: FusionSplit, validation: FusionSplit?, test: FusionSplit, macro: FusionMacro,
                inputNames: [String]? = nil) throws {
        try self.init(train: train, validation: validation, test: test, steps: macro.cells, nodeSteps: macro.nodes,
                      inputNames: inputNames)
    }

    /// The number of input nodes N.
    public var inputNodes: Int { train.inputNodes }
}

extension FusionLabels {
    /// Whether the labels are multi-hot rows.
    public var isMultiLabel: Bool {
        if case .multiLabel = self { return true }
        return false
    }
}

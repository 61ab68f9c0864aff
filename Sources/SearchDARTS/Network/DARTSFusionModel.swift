import HNASKit

/// The trained derived fusion network of a DARTS genotype as the core sees it (`FusionModel`):
/// the features of every input node are pooled to `[N, c, L]` (`FeaturePooling`) and run through
/// the `DerivedNetwork` in evaluation mode. The `darts` and `random` searches return it; their
/// `model(_:)` rebuilds it from its spec.
public final class DARTSFusionModel: FusionModel {
    /// The genotype the network realises.
    public let genotype: FusionGenotype
    public let spec: FusionModelSpec
    let network: DerivedNetwork
    /// `L`: each input node is pooled to this many positions.
    let length: Int

    /// The settings keys of a DARTS spec.
    enum Setting: String, CaseIterable {
        case channels = "C", length = "L", multiplier, dropout
    }

    /// Wraps a trained `network` built for `shape` by the search `search`.
    init(network: DerivedNetwork, shape: FusionShape, search: String) {
        genotype = network.genotype
        self.network = network
        length = shape.length
        spec = FusionModelSpec(
            search: search,
            architecture: FusionArchitecture(steps: network.genotype.steps.count, nodeSteps: shape.nodeSteps, genotype: network.genotype),
            inputChannels: shape.inputChannels, outputs: shape.outputs,
            settings: [Setting.channels.rawValue: Double(shape.channels), Setting.length.rawValue: Double(shape.length),
                       Setting.multiplier.rawValue: Double(shape.multiplier), Setting.dropout.rawValue: Double(shape.dropout)])
    }

    /// The network `spec` describes with fresh weights (seed 0; load a state dict to restore trained ones).
    /// - Throws: `HNASError` naming the field when the genotype is missing or invalid, a setting is
    ///   missing or not a whole number where one is needed, or the genotype does not fit the inputs.
    public convenience init(spec: FusionModelSpec) throws {
        let genotype = try FusionGenotype(architecture: spec.architecture)
        func setting(_ key: Setting) throws -> Double {
            guard let value = spec.settings[key.rawValue] else {
                throw HNASError.argument("fusion model settings", why: "missing '\(key.rawValue)' (a DARTS spec has "
                                         + Setting.allCases.map(\.rawValue).joined(separator: ", ") + ")")
            }
            return value
        }
        func whole(_ key: Setting) throws -> Int {
            let value = try setting(key)
            guard value.rounded() == value, value >= 1, value < Double(Int32.max) else {
                throw HNASError.argument("fusion model settings", why: "'\(key.rawValue)' = \(value) is not a positive whole number")
            }
            return Int(value)
        }
        let shape = FusionShape(inputChannels: spec.inputChannels, channels: try whole(.channels), length: try whole(.length),
                                outputs: spec.outputs, steps: spec.architecture.steps, nodeSteps: spec.architecture.nodeSteps,
                                multiplier: try whole(.multiplier), dropout: Float(try setting(.dropout)))
        var generator = SeededGenerator(seed: 0)
        self.init(network: try DerivedNetwork(genotype: genotype, shape: shape, generator: &generator), shape: shape, search: spec.search)
    }

    public var genotypeText: String { genotype.pythonRepr }

    public var operators: [String] { genotype.operators }

    public func dot(inputNames: [String]) throws -> String {
        try GenotypeDOT(genotype: genotype, groups: GenotypeDOT.groups(names: inputNames)).source
    }

    public func logits(_ features: [Tensor]) throws -> Tensor {
        guard features.count == spec.inputChannels.count else {
            throw HNASError.argument("fusion features", why: "\(features.count) input nodes given, the model has \(spec.inputChannels.count)")
        }
        for (k, (f, channels)) in zip(features, spec.inputChannels).enumerated() where f.rank < 2 || f.shape[1] != channels {
            throw HNASError.argument("fusion features[\(k)]", why: "shape \(f.shape) does not have the model's \(channels) channels")
        }
        network.eval()
        defer { network.train() }
        return try Autograd.withoutGrad {
            try network(features.map { try FeaturePooling.pool($0, length: length) })
        }
    }

    public func stateDict() -> SafeTensors { network.stateDict() }

    public func load(stateDict: SafeTensors, source: String) throws {
        _ = try network.load(stateDict: stateDict, source: source)
    }
}

import Foundation
import HNASKit

/// The real `SearchEvaluator` of `hnas search`: it glues trained supernets, a `HardwareModel` and a
/// `FusionSearch` together (which is why it lives in the executable: plugins never import each other).
///
/// - A backbone config is extracted from its modality's supernet, its BatchNorm statistics are
///   recalibrated on shuffled training batches (SPEC-backbone §5.2) and it is scored by `SubnetEvaluation.score`
///   (top-1 accuracy; weighted F1 when multi-label) on the selection split (`SearchData.selection`); its
///   latency/energy come from the hardware model's backbone table via `Backbone.layerDescriptors`.
/// - A couple of configs plus a macro-architecture: the frozen subnets' fusion features (SPEC-backbone
///   §4.2) are computed once per config and cached in memory, then the fusion search trains on them;
///   its selection metric (validation under `sound`, test under `original`) is the objective.
///
/// Backbone scores are deterministic per config (the calibration batches come from a fixed seed, as the
/// original re-seeds before every evaluation), so they are cached too and a repeated config costs nothing.
public final class SupernetSearchEvaluator: SearchEvaluator {
    /// What the evaluator needs besides the networks and the data.
    public struct Options {
        /// The dataset name of the hardware tables (`avmnist`).
        public var dataset: String
        public var fusion: FusionSearchOptions
        /// Fusion features per searched backbone (4 for AV-MNIST).
        public var featureCount = 4
        public var calibrationBatches = BatchNormRecalibration.defaultBatchCount
        public var calibrationBatchSize = BatchNormRecalibration.defaultBatchSize
        /// Seed of the calibration batches' shuffle, the same for every config.
        public var calibrationSeed: UInt64 = 42
        /// Display names of the searched modalities, e.g. `["Image", "Audio"]` (input-node names, DOT clusters).
        public var modalityNames: [String]

        /// A modality's display name: `image` → `Image`.
        public init(dataset: String, fusion: FusionSearchOptions, modalityNames: [String]) {
            self.dataset = dataset
            self.fusion = fusion
            self.modalityNames = modalityNames
        }

        public static func displayName(_ modality: String) -> String { modality.prefix(1).uppercased() + modality.dropFirst() }
    }

    /// Seconds spent per phase, for the run's summary.
    public struct Timings: Codable, Equatable {
        public var unimodal = 0.0
        public var features = 0.0
        public var fusion = 0.0

        public init() {}
    }

    public let backbones: [any Backbone]
    private let supernets: [OFAMobileNetV3]
    private let data: SearchData
    private let hardware: any HardwareModel
    private let fusionSearch: any FusionSearch
    public let options: Options
    /// Called with one line per evaluation and per fusion epoch (stderr, log file).
    public var log: (String) -> Void = { _ in }
    public private(set) var timings = Timings()

    private struct Key: Hashable {
        var modality: Int
        var config: BackboneConfig
    }
    private var scores: [Key: BackboneEvaluation] = [:]
    /// Recalibrated subnets and fusion features of recently used configs (bounded: a few MB each).
    private var subnets = RecentCache<Key, OFAMobileNetV3>(capacity: 16)
    private var featureCache = RecentCache<Key, FeatureSet>(capacity: 8)

    /// The selected backbone outputs of one subnet on every split.
    struct FeatureSet {
        var train: [Tensor]
        var validation: [Tensor]?
        var test: [Tensor]
    }

    /// - Throws: `HNASError` when the supernets, data inputs and names disagree in count, or the hardware
    ///   model has no table for `options.dataset` or none for the fusion operators.
    public init(supernets: [OFAMobileNetV3], data: SearchData, hardware: any HardwareModel, fusionSearch: any FusionSearch,
         options: Options) throws {
        guard supernets.count == data.inputs.count, options.modalityNames.count == supernets.count, !supernets.isEmpty else {
            throw HNASError.argument("search evaluator", why: "\(supernets.count) supernets for \(data.inputs.count) inputs "
                                     + "and \(options.modalityNames.count) modality names")
        }
        guard hardware.datasets.contains(options.dataset) else {
            throw HNASError.argument("--hardware", why: "'\(hardware.name)' has no backbone table for \(options.dataset) "
                                     + "(it has: \(hardware.datasets.joined(separator: ", ")))")
        }
        try Self.requireFusionOperators(hardware)
        try options.fusion.validate()
        self.supernets = supernets
        self.backbones = supernets.map { $0.backbone }
        self.data = data
        self.hardware = hardware
        self.fusionSearch = fusionSearch
        self.options = options
    }

    /// Checks that `hardware` prices fusion operators (the host model does not): the search scores every
    /// candidate's fusion network on it, so a model without the table must fail before any work is done.
    /// - Throws: `HNASError.argument("--hardware", …)` naming the model.
    public static func requireFusionOperators(_ hardware: any HardwareModel) throws {
        guard hardware.measuresFusionOperators else {
            throw HNASError.argument("--hardware", why: "'\(hardware.name)' has no fusion-operator table; use tx2 or agx")
        }
    }

    public func evaluateBackbone(_ config: BackboneConfig, modality: Int, seed: UInt64) throws -> BackboneEvaluation {
        let key = Key(modality: modality, config: config)
        if let known = scores[key] { return known }
        let clock = Date()
        try backbones[modality].validate(config)
        let accuracy = try SubnetEvaluation.score(of: try subnet(config, modality: modality), on: data.selection[modality])
        let cost = try hardware.backboneCost(try backbones[modality].layerDescriptors(config), dataset: options.dataset).total
        let evaluation = BackboneEvaluation(accuracy: accuracy, cost: cost)
        scores[key] = evaluation
        timings.unimodal += Date().timeIntervalSince(clock)
        log(String(format: "  %@ backbone %@: acc %.2f%%, latency %.3f ms, energy %@ (%.1f s)", options.modalityNames[modality],
                   config.description, evaluation.accuracy, cost.latencyMs, cost.energyMJ.map { String(format: "%.3f mJ", $0) } ?? "n/a",
                   Date().timeIntervalSince(clock)))
        return evaluation
    }

    public func evaluateFusion(_ configs: [BackboneConfig], macro: FusionMacro, seed: UInt64) throws -> FusionEvaluation {
        let problem = try fusionProblem(configs, macro: macro)
        var fusionOptions = options.fusion
        fusionOptions.seed = seed
        let clock = Date()
        let result = try fusionSearch.search(problem, options: fusionOptions, hardware: hardware) { [log] line in log("    " + line) }
        timings.fusion += Date().timeIntervalSince(clock)
        for note in result.notes { log("    note: \(note)") }
        let accuracy = options.fusion.fusionProtocol == .sound ? result.selectionMetric : result.metric
        let evaluation = FusionEvaluation(accuracy: accuracy, fusionCost: result.cost?.total ?? .zero,
                                          genotype: result.genotype.pythonRepr, testAccuracy: result.metric)
        log(String(format: "  fusion %@ (%@): acc %.2f%% (test %.2f%%), fusion latency %.3f ms (%.1f s)",
                   fusionSearch.name, macro.description, accuracy, result.metric, evaluation.fusionCost.latencyMs,
                   Date().timeIntervalSince(clock)))
        return evaluation
    }

    /// The fusion search's input for `configs` (one per searched modality) and `macro`: the frozen subnets'
    /// fusion features on every split (computed once per config while cached), named `Image_1`, `Image_2`, …
    /// - Throws: `HNASError` when the configs do not match the modalities or a feature shape is wrong.
    public func fusionProblem(_ configs: [BackboneConfig], macro: FusionMacro) throws -> FusionProblem {
        guard configs.count == supernets.count else {
            throw HNASError.argument("fusion candidate", why: "\(configs.count) backbones, the search has \(supernets.count) modalities")
        }
        let sets = try configs.enumerated().map { try features(Key(modality: $0.offset, config: $0.element)) }
        let labels = { (split: [TensorDataset]) in FusionLabels.classes(split[0].labels, classes: self.data.classes) }
        let train = try FusionSplit(features: sets.flatMap(\.train), labels: labels(data.train))
        let validation = try data.validation.map { try FusionSplit(features: sets.flatMap { $0.validation! }, labels: labels($0)) }
        let test = try FusionSplit(features: sets.flatMap(\.test), labels: labels(data.test))
        let names = inputNames
        return try FusionProblem(train: train, validation: validation, test: test, steps: macro.cells,
                                 nodeSteps: macro.nodes, inputNames: names)
    }

    /// The fusion network's input-node names: `Image_1 … Image_4, Audio_1 … Audio_4`.
    public var inputNames: [String] {
        options.modalityNames.flatMap { name in (1...options.featureCount).map { "\(name)_\($0)" } }
    }

    /// The score (top-1 accuracy; weighted F1 when multi-label) of `config`'s recalibrated subnet on the test
    /// split (the backbone score uses the selection split; this is the figure to set beside a fusion network's
    /// test metric).
    public func testAccuracy(_ config: BackboneConfig, modality: Int) throws -> Double {
        try SubnetEvaluation.score(of: try subnet(config, modality: modality), on: data.test[modality])
    }

    /// The static subnet of `config` on searched modality `modality`, with its recalibrated BatchNorm
    /// statistics: the backbone exactly as it was scored (for saving the best models' weights). Built once
    /// while cached; scoring and fusion features run it in evaluation mode, which leaves the statistics as they are.
    public func subnet(_ config: BackboneConfig, modality: Int) throws -> OFAMobileNetV3 {
        let key = Key(modality: modality, config: config)
        if let cached = subnets[key] { return cached }
        var generator = SeededGenerator(seed: options.calibrationSeed)
        let subnet = try SubnetEvaluation.recalibrated(supernets[modality], config: config, train: data.train[modality],
                                                       generator: &generator, calibrationBatches: options.calibrationBatches,
                                                       calibrationBatchSize: options.calibrationBatchSize)
        subnets[key] = subnet
        return subnet
    }

    /// The fusion features of `key`'s frozen subnet on every split, computed once while cached.
    private func features(_ key: Key) throws -> FeatureSet {
        if let cached = featureCache[key] { return cached }
        let clock = Date()
        let subnet = try self.subnet(key.config, modality: key.modality)
        let m = key.modality
        let count = options.featureCount
        let set = FeatureSet(train: try subnet.fusionFeatures(forAll: data.train[m].inputs, count: count),
                             validation: try data.validation.map { try subnet.fusionFeatures(forAll: $0[m].inputs, count: count) },
                             test: try subnet.fusionFeatures(forAll: data.test[m].inputs, count: count))
        featureCache[key] = set
        timings.features += Date().timeIntervalSince(clock)
        return set
    }
}

extension SupernetSearchEvaluator.Options {
    /// The options of a stock dataset's search over `modalities` (e.g. `["image", "audio"]`): their display
    /// names and the dataset's number of fusion features per backbone, other settings at their defaults.
    public init(dataset: String, fusion: FusionSearchOptions, modalities: [String]) {
        self.init(dataset: dataset, fusion: fusion, modalityNames: modalities.map(Self.displayName))
        featureCount = StockSupernet.fusionFeatureCount(dataset: dataset)
    }
}

import Foundation
import HNASKit

/// The real `SearchEvaluator` of a search: it glues a pipeline's backbone networks (searched supernets and
/// fixed networks), a `HardwareModel` and a `FusionSearch` together, through their protocols only.
///
/// - A backbone config of a searched input is extracted from its supernet, its BatchNorm statistics are
///   recalibrated on shuffled training batches (SPEC-backbone §5.2) and it is scored from its logits (top-1
///   accuracy; weighted F1 of `sigmoid > 0.3` when multi-label) on the selection split (`SearchData.selection`);
///   its latency/energy come from the hardware model's backbone table via `Backbone.layerDescriptors`.
/// - A set of configs (one per searched input) plus a macro-architecture: the frozen subnets' fusion features
///   (SPEC-backbone §4.2) are computed once per config and cached, the fixed networks' features (e.g. the
///   Maxout text network's two maxout outputs) once per run, then the fusion search trains on them; its
///   selection metric (validation under `sound`, test under `original`) is the objective.
///
/// Backbone scores are deterministic per config (the calibration batches come from a fixed seed, as the
/// original re-seeds before every evaluation), so they are cached too and a repeated config costs nothing.
public final class SupernetSearchEvaluator: SearchEvaluator {
    /// What the evaluator needs besides the networks and the data.
    public struct Options {
        /// The hardware tables' key of the backbones (`avmnist`).
        public var dataset: String
        public var fusion: FusionSearchOptions
        /// Fusion features per input, in pairing order (AV-MNIST: 4 and 4; MM-IMDB: 4 image, 2 text).
        public var featureCounts: [Int]
        public var calibrationBatches = BatchNormRecalibration.defaultBatchCount
        public var calibrationBatchSize = BatchNormRecalibration.defaultBatchSize
        /// Seed of the calibration batches' shuffle, the same for every config.
        public var calibrationSeed: UInt64 = 42
        /// Display names of the inputs, e.g. `["Image", "Audio"]` (input-node names, DOT clusters).
        public var modalityNames: [String]
        /// Each input's modality options, recorded in the model manifests (nil: not recorded).
        public var preprocessing: [ModalityOptions]?

        public init(dataset: String, fusion: FusionSearchOptions, modalityNames: [String], featureCounts: [Int]) {
            self.dataset = dataset
            self.fusion = fusion
            self.modalityNames = modalityNames
            self.featureCounts = featureCounts
        }

        /// The options of `pipeline`'s search: its hardware key, input names, fusion feature counts, preprocessing
        /// and calibration batch size (its loader's).
        public init(pipeline: any Pipeline, fusion: FusionSearchOptions) {
            self.init(dataset: pipeline.hardwareKey, fusion: fusion, modalityNames: pipeline.inputs.map { Self.displayName($0.modality) },
                      featureCounts: pipeline.inputs.map(\.fusionFeatures))
            preprocessing = pipeline.inputs.map(\.options)
            calibrationBatchSize = pipeline.batchSize
        }

        /// A modality's display name: `image` → `Image`.
        public static func displayName(_ modality: String) -> String { modality.prefix(1).uppercased() + modality.dropFirst() }
    }

    /// Seconds spent per phase, for the run's summary.
    public struct Timings: Codable, Equatable {
        public var unimodal = 0.0
        public var features = 0.0
        public var fusion = 0.0

        public init() {}
    }

    /// The searched backbones (one per searched input, in pairing order): what the strategy draws configs from.
    public let backbones: [any Backbone]
    /// The networks of every input, in pairing order.
    public let networks: [any BackboneNetwork]
    /// Indices into `networks` of the searched inputs (the strategy's modality `m` is `networks[searched[m]]`).
    public let searched: [Int]
    private let data: SearchData
    private let hardware: any HardwareModel
    private let fusionSearch: any FusionSearch
    public let options: Options
    /// Called with one line per evaluation and per fusion epoch (stderr, log file).
    public var log: (String) -> Void = { _ in }
    public private(set) var timings = Timings()

    private struct Key: Hashable {
        /// An index into `networks`.
        var input: Int
        var config: BackboneConfig
    }
    private var scores: [Key: BackboneEvaluation] = [:]
    /// Recalibrated subnets and fusion features of recently used configs (bounded: a few MB each).
    private var subnets = RecentCache<Key, any BackboneNetwork>(capacity: 16)
    private var featureCache = RecentCache<Key, FeatureSet>(capacity: 8)
    /// The fixed networks' features, computed once per run.
    private var fixedFeatures: [Int: FeatureSet] = [:]

    /// A fusion candidate: the searched configs and the macro-architecture.
    public struct FusionCandidate: Hashable {
        public var configs: [BackboneConfig]
        public var macro: FusionMacro

        public init(configs: [BackboneConfig], macro: FusionMacro) {
            self.configs = configs
            self.macro = macro
        }
    }
    /// The trained fusion networks the fusion searches returned, until `releaseFusionModels` lets them go.
    private var fusionModels: [FusionCandidate: any FusionModel] = [:]

    /// The selected backbone outputs of one network on every split.
    struct FeatureSet {
        var train: [Tensor]
        var validation: [Tensor]?
        var test: [Tensor]
    }

    /// - Parameter networks: one per input of `data`, in its order; the searched ones are supernets, the fixed
    ///   ones have trained weights.
    /// - Throws: `HNASError` when the networks, data inputs, names and feature counts disagree in count, no
    ///   input is searched, or the hardware model has no table for `options.dataset` or none for the fusion operators.
    public init(networks: [any BackboneNetwork], data: SearchData, hardware: any HardwareModel, fusionSearch: any FusionSearch,
                options: Options) throws {
        guard networks.count == data.inputs.count, options.modalityNames.count == networks.count,
              options.featureCounts.count == networks.count, networks.contains(where: { !$0.isFixed }) else {
            throw HNASError.argument("search evaluator", why: "\(networks.count) networks (\(networks.filter { !$0.isFixed }.count) searched) "
                                     + "for \(data.inputs.count) inputs, \(options.modalityNames.count) names and "
                                     + "\(options.featureCounts.count) feature counts")
        }
        // A model that measures on demand (the host) learns which layers this dataset's backbones have.
        hardware.attach(backbones: networks.filter { !$0.isFixed }.map { $0.backbone }, dataset: options.dataset)
        guard hardware.datasets.contains(options.dataset) else {
            throw HNASError.argument("--hardware", why: "'\(hardware.name)' has no backbone table for \(options.dataset) "
                                     + "(it has: \(hardware.datasets.joined(separator: ", ")))")
        }
        try Self.requireFusionOperators(hardware)
        try options.fusion.validate()
        self.networks = networks
        searched = networks.indices.filter { !networks[$0].isFixed }
        backbones = searched.map { networks[$0].backbone }
        self.data = data
        self.hardware = hardware
        self.fusionSearch = fusionSearch
        self.options = options
    }

    /// Checks that `hardware` prices fusion operators (the host model does once a fusion search's operators are
    /// attached, `Registry.hardwareModel(_:pricingFusionOf:)`): the search scores every candidate's fusion
    /// network on it, so a model without them must fail before any work is done.
    /// - Throws: `HNASError.argument("--hardware", …)` naming the model.
    public static func requireFusionOperators(_ hardware: any HardwareModel) throws {
        guard hardware.measuresFusionOperators else {
            throw HNASError.argument("--hardware", why: "'\(hardware.name)' has no fusion-operator table (and no fusion operators to measure); use tx2 or agx")
        }
    }

    public func evaluateBackbone(_ config: BackboneConfig, modality: Int, seed: UInt64) throws -> BackboneEvaluation {
        let key = Key(input: searched[modality], config: config)
        if let known = scores[key] { return known }
        let clock = Date()
        try backbones[modality].validate(config)
        let accuracy = try Self.score(try subnet(key), on: data.selection[key.input])
        let cost = try hardware.backboneCost(try backbones[modality].layerDescriptors(config), dataset: options.dataset).total
        let evaluation = BackboneEvaluation(accuracy: accuracy, cost: cost)
        scores[key] = evaluation
        timings.unimodal += Date().timeIntervalSince(clock)
        log(String(format: "  %@ backbone %@: acc %.2f%%, latency %.3f ms, energy %@ (%.1f s)", options.modalityNames[key.input],
                   config.description, evaluation.accuracy, cost.latencyMs, cost.energyMJ.map { String(format: "%.3f mJ", $0) } ?? "n/a",
                   Date().timeIntervalSince(clock)))
        return evaluation
    }

    public func evaluateFusion(_ configs: [BackboneConfig], macro: FusionMacro, seed: UInt64) throws -> FusionEvaluation {
        let problem = try fusionProblem(configs, macro: macro)
        var fusionOptions = options.fusion
        fusionOptions.seed = seed
        let clock = Date()
        // A fusion search's tensor shapes differ from the backbones' and from the next search's: the
        // memory pool starts and ends it empty, so that the peak resident size is one phase's, not two.
        StoragePool.drain()
        defer { StoragePool.drain() }
        let result = try fusionSearch.search(problem, options: fusionOptions, hardware: hardware) { [log] line in log("    " + line) }
        timings.fusion += Date().timeIntervalSince(clock)
        if let model = result.model { fusionModels[FusionCandidate(configs: configs, macro: macro)] = model }
        for note in result.notes { log("    note: \(note)") }
        let accuracy = options.fusion.fusionProtocol == .sound ? result.selectionMetric : result.metric
        let evaluation = FusionEvaluation(accuracy: accuracy, fusionCost: result.cost?.total ?? .zero,
                                          genotype: result.genotypeText, testAccuracy: result.metric)
        log(String(format: "  fusion %@ (%@): acc %.2f%% (test %.2f%%), fusion latency %.3f ms (%.1f s)",
                   fusionSearch.name, macro.description, accuracy, result.metric, evaluation.fusionCost.latencyMs,
                   Date().timeIntervalSince(clock)))
        return evaluation
    }

    /// The trained fusion network of a candidate whose fusion search gave `genotype`, and its test metric in
    /// percent (accuracy, or weighted F1 when multi-label) measured in evaluation mode on the test split: the
    /// network the fusion search returned while it is held, else the genotype's network retrained from scratch
    /// with `seed` (`FusionSearch.retrain`, as the original's best-model scripts do; DARTS under protocol
    /// `original` returns no trained network).
    /// - Throws: `HNASError` when the fusion search cannot read its genotype text back or retraining fails.
    public func trainedFusion(_ candidate: FusionCandidate, genotype: String, seed: UInt64) throws -> (model: any FusionModel, testMetric: Double) {
        let problem = try fusionProblem(candidate.configs, macro: candidate.macro)
        let model: any FusionModel
        if let held = fusionModels[candidate], held.genotypeText == genotype {
            model = held
        } else {
            guard let format = fusionSearch as? any FusionGenotypeFormat else {
                throw HNASError.argument("--fusion", why: "'\(fusionSearch.name)' cannot read its genotype back to retrain it")
            }
            let architecture = FusionArchitecture(steps: candidate.macro.cells, nodeSteps: candidate.macro.nodes,
                                                  genotype: try format.genotypeJSON(genotype))
            var fusionOptions = options.fusion
            fusionOptions.seed = seed
            log("  retraining the fusion network of \(genotype)")
            let result = try fusionSearch.retrain(architecture, on: problem, options: fusionOptions, hardware: nil) { [log] in log("    " + $0) }
            guard let retrained = result.model else {
                throw HNASError.argument("fusion network", why: "retraining \(genotype) completed no epoch")
            }
            model = retrained
            fusionModels[candidate] = retrained
        }
        return (model, try Self.metric(try model.logits(problem.test.features), problem.test.labels))
    }

    /// Lets go of the held fusion networks except those of `kept` (the front, once its files are written).
    public func releaseFusionModels(keeping kept: Set<FusionCandidate>) {
        fusionModels = fusionModels.filter { kept.contains($0.key) }
    }

    /// Top-1 accuracy, or weighted F1 of multi-label targets, in percent, of `logits` against `labels`.
    public static func metric(_ logits: Tensor, _ labels: FusionLabels) throws -> Double {
        switch labels {
        case .multiLabel(let targets): return try SubnetEvaluation.weightedF1(logits: logits, targets: targets)
        case .classes(let values, _):
            let correct = zip(try SubnetEvaluation.predictions(logits), values).filter { $0 == $1 }.count
            return 100 * Double(correct) / Double(Swift.max(values.count, 1))
        }
    }

    /// The manifest of a model directory holding `configs` (one per searched input) with this evaluator's
    /// networks: inputs in pairing order, their backbones, configs, weights files `<input>.safetensors`,
    /// fusion feature counts, preprocessing options and preprocessed input shapes.
    public func manifest(_ configs: [BackboneConfig], dataset: String, classNames: [String], testMetric: Double?,
                         cost: Cost?, device: String?) throws -> ModelManifest {
        let multiLabel = data.train[0].multiHot != nil
        let inputs = try zip(data.inputs, inputConfigs(configs)).enumerated().map { m, pair in
            ModelManifest.Input(modality: pair.0, searched: !networks[m].isFixed, backbone: networks[m].backbone.name, config: pair.1,
                                weights: "\(pair.0).safetensors", fusionFeatures: options.featureCounts[m],
                                inputShape: data.train[m].sampleShape, preprocessing: options.preprocessing?[m])
        }
        return ModelManifest(dataset: dataset, multiLabel: multiLabel, classNames: classNames,
                             threshold: multiLabel ? SubnetEvaluation.multiLabelThreshold : nil, inputs: inputs,
                             metric: testMetric, cost: cost, device: device)
    }

    /// The fusion network's input-node names: `Image_1 … Image_4, Audio_1 … Audio_4`.
    public var inputNames: [String] {
        zip(options.modalityNames, options.featureCounts).flatMap { name, count in (1...count).map { "\(name)_\($0)" } }
    }

    /// The configs of every input for `configs` (one per searched input): the fixed inputs take the empty config.
    public func inputConfigs(_ configs: [BackboneConfig]) throws -> [BackboneConfig] {
        guard configs.count == searched.count else {
            throw HNASError.argument("fusion candidate", why: "\(configs.count) backbones, the search has \(searched.count) searched modalities")
        }
        var all = Array(repeating: BackboneConfig([:]), count: networks.count)
        for (m, input) in searched.enumerated() { all[input] = configs[m] }
        return all
    }

    /// The fusion search's input for `configs` (one per searched input) and `macro`: the frozen subnets'
    /// fusion features on every split (computed once per config while cached) and the fixed networks'
    /// (computed once per run), in pairing order, named `Image_1`, `Image_2`, …
    /// - Throws: `HNASError` when the configs do not match the searched inputs or a feature shape is wrong.
    public func fusionProblem(_ configs: [BackboneConfig], macro: FusionMacro) throws -> FusionProblem {
        let all = try inputConfigs(configs)
        let sets = try all.enumerated().map { try features(Key(input: $0.offset, config: $0.element)) }
        let labels = { (split: [InputSplit]) in split[0].fusionLabels(classes: self.data.classes) }
        let train = try FusionSplit(features: sets.flatMap(\.train), labels: labels(data.train))
        let validation = try data.validation.map { try FusionSplit(features: sets.flatMap { $0.validation! }, labels: labels($0)) }
        let test = try FusionSplit(features: sets.flatMap(\.test), labels: labels(data.test))
        return try FusionProblem(train: train, validation: validation, test: test, steps: macro.cells,
                                 nodeSteps: macro.nodes, inputNames: inputNames)
    }

    /// The score (top-1 accuracy; weighted F1 when multi-label) of `config`'s recalibrated subnet on searched
    /// modality `modality` on the test split (the backbone score uses the selection split; this is the figure
    /// to set beside a fusion network's test metric).
    public func testAccuracy(_ config: BackboneConfig, modality: Int) throws -> Double {
        try Self.score(try subnet(config, modality: modality), on: data.test[searched[modality]])
    }

    /// The static subnet of `config` on searched modality `modality`, with its recalibrated BatchNorm
    /// statistics: the backbone exactly as it was scored (for saving the best models' weights).
    public func subnet(_ config: BackboneConfig, modality: Int) throws -> any BackboneNetwork {
        try subnet(Key(input: searched[modality], config: config))
    }

    /// The networks of a candidate, one per input in pairing order: the recalibrated subnets of `configs` (one
    /// per searched input, as scored) and the fixed networks — what `best/<id>/` saves.
    public func candidateNetworks(_ configs: [BackboneConfig]) throws -> [any BackboneNetwork] {
        try inputConfigs(configs).enumerated().map { try subnet(Key(input: $0.offset, config: $0.element)) }
    }

    /// `key`'s network: built once while cached; scoring and fusion features run it in evaluation mode, which
    /// leaves the statistics as they are. A fixed network is its own subnet.
    private func subnet(_ key: Key) throws -> any BackboneNetwork {
        if let cached = subnets[key] { return cached }
        var generator = SeededGenerator(seed: options.calibrationSeed)
        let train = data.train[key.input]
        let batches = Array(train.shuffledBatches(size: options.calibrationBatchSize, using: &generator).prefix(options.calibrationBatches))
        let calibration = CalibrationBatches(count: batches.count) { try train.inputs(batches[$0]) }
        let subnet = try networks[key.input].subnet(key.config, calibration: calibration)
        subnets[key] = subnet
        return subnet
    }

    /// Top-1 accuracy, or weighted F1 of multi-label data, in percent, of `network` on `split`, from its logits
    /// in batches of `batchSize` (default: the split's `evaluationBatchSize`) (SPEC-backbone §5.3).
    public static func score(_ network: any BackboneNetwork, on split: InputSplit, batchSize: Int? = nil) throws -> Double {
        var parts: [Tensor] = []
        var correct = 0
        for rows in split.sequentialBatches(size: batchSize ?? split.evaluationBatchSize) {
            let logits = try network.logits(try split.inputs(rows))
            if split.multiHot != nil {
                parts.append(logits)
            } else {
                correct += zip(try SubnetEvaluation.predictions(logits), rows.map { split.labels[$0] }).filter { $0 == $1 }.count
            }
        }
        if let targets = split.multiHot { return try SubnetEvaluation.weightedF1(logits: try Tensor.concat(parts, axis: 0), targets: targets) }
        return 100 * Double(correct) / Double(Swift.max(split.count, 1))
    }

    /// The fusion features of `key`'s frozen network on every split: a searched config's computed once while
    /// cached, a fixed network's once per run.
    private func features(_ key: Key) throws -> FeatureSet {
        let fixed = networks[key.input].isFixed
        if fixed, let known = fixedFeatures[key.input] { return known }
        if let cached = featureCache[key] { return cached }
        let clock = Date()
        let network = try subnet(key)
        let count = options.featureCounts[key.input]
        func all(_ split: InputSplit) throws -> [Tensor] {
            var parts: [[Tensor]] = []
            for rows in split.sequentialBatches(size: split.evaluationBatchSize) {
                parts.append(try network.fusionFeatures(try split.inputs(rows), count: count))
            }
            return try (0..<count).map { k in try Tensor.concat(parts.map { $0[k] }, axis: 0) }
        }
        let set = FeatureSet(train: try all(data.train[key.input]), validation: try data.validation.map { try all($0[key.input]) },
                             test: try all(data.test[key.input]))
        if fixed { fixedFeatures[key.input] = set } else { featureCache[key] = set }
        timings.features += Date().timeIntervalSince(clock)
        return set
    }
}

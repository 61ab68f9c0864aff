import Foundation
import HNASKit

/// Every setting of one `hnas search` run, written to the run directory as `config.json` before the
/// first generation and read back by `--resume`, so a resumed run continues with exactly the same settings.
struct SearchRunConfig: Codable {
    var version = BuildInfo.version
    var dataset = "avmnist"
    /// The dataset folder.
    var data: String
    /// Registry names of the plugins.
    var search = "evolution"
    var fusion = "darts"
    var hardware = "tx2"
    var seed: UInt64 = 42
    /// The outer search (population, generations, survival ratios, constraints, `--evolve-macro`).
    var settings = SearchSettings()
    /// The inner (fusion) search: epochs, channels, optimiser and the protocol (`sound`: selection on a
    /// validation split of `validationFraction` of the training data; `original`: on the test split).
    /// Its `seed` is replaced by one drawn from the run's generator for every candidate.
    var fusionOptions = FusionSearchOptions()
    /// Where the supernet weights are read from or trained into.
    var weightsDir: String
    /// Epochs of supernet training when the weights are missing.
    var supernetEpochs = SearchRunConfig.sampleSupernetEpochs
    /// `post_bn_calibration_batch_num`: training batches of 256 used to recalibrate a subnet's BatchNorm.
    var calibrationBatches = BatchNormRecalibration.defaultBatchCount

    /// Defaults chosen so that the README command finishes on 2 cores in minutes on the embedded sample
    /// (1 050 training samples); `--config` with the original's YAML restores its budget (P 8, 30 generations,
    /// 25 fusion epochs).
    static let samplePopulation = 8
    static let sampleGenerations = 4
    static let sampleFusionEpochs = 4
    static let sampleSupernetEpochs = 20

    init(data: String, weightsDir: String) {
        self.data = data
        self.weightsDir = weightsDir
        settings.parentPopulationSize = Self.samplePopulation
        settings.generations = Self.sampleGenerations
        fusionOptions.epochs = Self.sampleFusionEpochs
        fusionOptions.retrainEpochs = Self.sampleFusionEpochs
    }

    /// Applies a Harmonic-NAS search YAML (`configs/search_config_avmnist.yml` keys): the
    /// `evo_search_outer`/`evo_search_inner` sections, `fusion_epochs` (search and retraining), `C`, `L`,
    /// `multiplier`, `drpt`, `arch_learning_rate`, `arch_weight_decay`, `weight_decay`, `eta_max`, `eta_min`,
    /// `post_bn_calibration_batch_num` and `seed`. The original's other keys (cluster, supernet-training and
    /// path settings) are accepted and ignored.
    /// - Throws: `HNASError` naming the file and the key for unreadable YAML or a bad value.
    mutating func apply(yamlFile path: String) throws {
        let parsed = try YAMLFile.load(path: path, what: "search config")
        guard let mapping = parsed.flatMap(Self.stringKeyed) else {
            throw HNASError.file(path, "invalid search config", why: "the top level is not a mapping of keys to values")
        }
        do {
            try apply(configuration: mapping)
        } catch let error as HNASError {
            throw HNASError.file(path, "invalid search config", why: "\(error.subjectName): \(error.why)")
        }
    }

    /// The YAML keys as in `apply(yamlFile:)`, from an already parsed mapping.
    mutating func apply(configuration: [String: Any]) throws {
        let sections = configuration.mapValues { value -> Any in Self.stringKeyed(value) ?? value }
        try settings.apply(configuration: sections)
        let reader = YAMLNumbers(configuration)
        if let epochs = try reader.int("fusion_epochs", atLeast: 1) {
            fusionOptions.epochs = epochs
            fusionOptions.retrainEpochs = epochs
        }
        fusionOptions.channels = try reader.int("C", atLeast: 1) ?? fusionOptions.channels
        fusionOptions.length = try reader.int("L", atLeast: 1) ?? fusionOptions.length
        fusionOptions.multiplier = try reader.int("multiplier", atLeast: 1) ?? fusionOptions.multiplier
        fusionOptions.dropout = try reader.float("drpt") ?? fusionOptions.dropout
        fusionOptions.archLearningRate = try reader.float("arch_learning_rate") ?? fusionOptions.archLearningRate
        fusionOptions.archWeightDecay = try reader.float("arch_weight_decay") ?? fusionOptions.archWeightDecay
        fusionOptions.weightDecay = try reader.float("weight_decay") ?? fusionOptions.weightDecay
        fusionOptions.learningRateMax = try reader.float("eta_max") ?? fusionOptions.learningRateMax
        fusionOptions.learningRateMin = try reader.float("eta_min") ?? fusionOptions.learningRateMin
        calibrationBatches = try reader.int("post_bn_calibration_batch_num", atLeast: 1, atMost: ArgumentRange.calibrationBatches.upperBound)
            ?? calibrationBatches
        if let seed = try reader.int("seed", atLeast: 0) { self.seed = UInt64(seed) }
        try settings.validate()
        try fusionOptions.validate()
    }

    /// A YAML mapping with string keys, or `nil` when `value` is not a mapping.
    private static func stringKeyed(_ value: Any) -> [String: Any]? {
        if let mapping = value as? [String: Any] { return mapping }
        guard let mapping = value as? [AnyHashable: Any] else { return nil }
        return Dictionary(mapping.map { ("\($0.key.base)", $0.value) }, uniquingKeysWith: { first, _ in first })
    }
}

/// Reads top-level numeric keys of a parsed YAML mapping. YAML 1.1 reads `1e-5` (no dot) as a string,
/// as the original's configs contain, so numeric strings are accepted.
private struct YAMLNumbers {
    let mapping: [String: Any]

    init(_ mapping: [String: Any]) { self.mapping = mapping }

    func double(_ key: String) throws -> Double? {
        guard let value = mapping[key] else { return nil }
        let number: Double?
        switch value {
        case let x as Int: number = Double(x)
        case let x as Double: number = x
        case let x as String: number = Double(x.trimmingCharacters(in: .whitespaces))
        default: number = nil
        }
        guard let number, number.isFinite else { throw HNASError.argument(key, why: "'\(value)' is not a finite number") }
        return number
    }

    func float(_ key: String) throws -> Float? {
        try double(key).map(Float.init)
    }

    func int(_ key: String, atLeast minimum: Int, atMost maximum: Int = Int.max) throws -> Int? {
        guard let x = try double(key) else { return nil }
        guard x == x.rounded(), abs(x) < 1e15 else { throw HNASError.argument(key, why: "'\(mapping[key]!)' is not an integer") }
        guard Int(x) >= minimum else { throw HNASError.argument(key, why: "must be at least \(minimum), got \(Int(x))") }
        guard Int(x) <= maximum else { throw HNASError.argument(key, why: "must be at most \(maximum), got \(Int(x))") }
        return Int(x)
    }
}

extension HNASError {
    /// The argument, file or op this error is about, as text (empty for none).
    var subjectName: String {
        switch subject {
        case .file(let name), .argument(let name), .op(let name): return name
        case .none: return what
        }
    }
}

import Foundation
import HNASKit

/// Every setting of one `hnas search` run, written to the run directory as `config.json` before the
/// first generation and read back by `--resume`, so a resumed run continues with exactly the same settings.
public struct SearchRunConfig: Codable {
    public var version = BuildInfo.version
    public var dataset = "avmnist"
    /// The dataset folder.
    public var data: String
    /// Registry names of the plugins.
    public var search = "evolution"
    public var fusion = "darts"
    public var hardware = "tx2"
    public var seed: UInt64 = 42
    /// The outer search (population, generations, survival ratios, constraints, `--evolve-macro`).
    public var settings = SearchSettings()
    /// The inner (fusion) search: epochs, channels, optimiser and the protocol (`sound`: selection on a
    /// validation split of `validationFraction` of the training data; `original`: on the test split).
    /// Its `seed` is replaced by one drawn from the run's generator for every candidate.
    public var fusionOptions = FusionSearchOptions()
    /// Where the backbone weights are read from or trained into.
    public var weightsDir: String
    /// Epochs of supernet training when the weights are missing.
    public var supernetEpochs = 20
    /// Weights files of fixed inputs given explicitly (modality → file, e.g. `text` from `--text-weights`);
    /// the others are read from (or trained into) `weightsDir`. Optional in the file: older runs lack it.
    public var fixedWeights: [String: String]?
    /// Epochs of training a fixed network (e.g. the Maxout text network) when its weights are missing.
    public var fixedEpochs: Int?
    /// `post_bn_calibration_batch_num`: training batches of 256 used to recalibrate a subnet's BatchNorm.
    public var calibrationBatches = BatchNormRecalibration.defaultBatchCount

    /// Settings at their defaults: `SearchSettings`' and `FusionSearchOptions`' (the original's AV-MNIST values).
    public init(data: String, weightsDir: String) {
        self.data = data
        self.weightsDir = weightsDir
    }

    /// The defaults of `pipeline`'s search: its name, default device, macro space and budget.
    public init(pipeline: any Pipeline, data: String, weightsDir: String) {
        self.init(data: data, weightsDir: weightsDir)
        dataset = pipeline.name
        hardware = pipeline.defaultHardware
        settings.macroSpace = pipeline.macroSpace
        settings.parentPopulationSize = pipeline.budget.population
        settings.generations = pipeline.budget.generations
        fusionOptions.epochs = pipeline.budget.fusionEpochs
        fusionOptions.retrainEpochs = pipeline.budget.fusionEpochs
        supernetEpochs = pipeline.budget.supernetEpochs
        fixedEpochs = pipeline.budget.fixedEpochs
    }

    /// Applies a Harmonic-NAS search configuration (the keys of `configs/search_config_avmnist.yml`, parsed):
    /// the `evo_search_outer`/`evo_search_inner` sections, `fusion_epochs` (search and retraining), `C`, `L`,
    /// `multiplier`, `drpt`, `arch_learning_rate`, `arch_weight_decay`, `weight_decay`, `eta_max`, `eta_min`,
    /// `post_bn_calibration_batch_num` and `seed`. The original's other keys (cluster, supernet-training and
    /// path settings) are accepted and ignored.
    /// - Throws: `HNASError` naming the key for a bad value.
    public mutating func apply(configuration: [String: Any]) throws {
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
        calibrationBatches = try reader.int("post_bn_calibration_batch_num", atLeast: 1) ?? calibrationBatches
        if let seed = try reader.int("seed", atLeast: 0) { self.seed = UInt64(seed) }
        try settings.validate()
        try fusionOptions.validate()
    }

    /// Every top-level key of the original's three search configs (`search_config_avmnist.yml`,
    /// `search_config_imdb.yml`, `search_config_memes_politics.yml`; SPEC-hardware-and-data §4): the ones
    /// `apply(configuration:)` reads and the ones it accepts and ignores (paths, cluster, supernet training).
    public static let originalKeys: Set<String> = [
        "evo_search_outer", "evo_search_inner", "fusion_epochs", "C", "L", "multiplier", "drpt", "arch_learning_rate",
        "arch_weight_decay", "weight_decay", "eta_max", "eta_min", "post_bn_calibration_batch_num", "seed", "dataset",
        "small_dataset", "pretrained_path", "pretrained_path1", "pretrained_path2", "maxout_weights", "hw_lut_path", "fusion_lut",
        "steps", "node_steps", "node_multiplier", "num_outputs", "num_input_nodes", "num_keep_edges", "Ti", "Tm", "parallel",
        "save", "f1_type", "supernet_arch", "arch", "_type", "exp_name", "resume", "batch_size", "batch_size_per_gpu",
        "sandwich_rule", "alpha_min", "alpha_max", "iw_clip", "grad_clip_value", "inplace_distill", "num_arch_training",
        "label_smoothing", "augment", "n_gpu_per_node", "num_nodes", "n_cpu_per_node", "memory_per_node", "epochs",
        "warmup_epochs", "start_epoch", "bn_calibration", "sync_bn", "bn_momentum", "bn_eps", "models_save_dir",
        "data_loader_workers_per_gpu", "dropout", "drop_connect", "drop_connect_only_last_two_stages", "weight_decay_weight",
        "weight_decay_bn_bias", "optimizer", "lr_scheduler", "distributed", "distributed_val", "eval_only",
        "multiprocessing_distributed", "modality", "dataset_dir", "dir_roi", "dir_ent", "dir_data", "bpe_path",
        "context_length", "extend", "n_classes", "drop_last", "task", "image_resolution", "sound_resolution", "resolution",
        "in_channels", "print_freq",
    ]

    /// The top-level keys of `configuration` that no original search config has (typos, other tools' keys), sorted.
    public static func unknownKeys(in configuration: [String: Any]) -> [String] {
        configuration.keys.filter { !originalKeys.contains($0) }.sorted()
    }

    /// The pipeline a configuration's `dataset` key names (the pipeline's name or one of its `configNames`,
    /// e.g. `imdb`), nil without the key.
    /// - Throws: `HNASError` naming the key and the known names when no registered pipeline has that name.
    public static func pipeline(in configuration: [String: Any], registry: Registry) throws -> (any Pipeline)? {
        guard let value = configuration["dataset"] else { return nil }
        let name = "\(value)"
        for known in registry.pipelines.names {
            let pipeline = try registry.pipelines.make(known)
            if pipeline.name == name || pipeline.configNames.contains(name) { return pipeline }
        }
        throw HNASError.argument("dataset", why: "'\(name)' is not a registered pipeline (known: \(registry.pipelines.names.joined(separator: ", ")))")
    }

    /// A YAML mapping with string keys, or `nil` when `value` is not a mapping.
    public static func stringKeyed(_ value: Any) -> [String: Any]? {
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

    func int(_ key: String, atLeast minimum: Int) throws -> Int? {
        guard let x = try double(key) else { return nil }
        guard x == x.rounded(), abs(x) < 1e15 else { throw HNASError.argument(key, why: "'\(mapping[key]!)' is not an integer") }
        guard Int(x) >= minimum else { throw HNASError.argument(key, why: "must be at least \(minimum), got \(Int(x))") }
        return Int(x)
    }
}

extension HNASError {
    /// The argument, file or op this error is about, as text (empty for none).
    public var subjectName: String {
        switch subject {
        case .file(let name), .argument(let name), .op(let name): return name
        case .none: return what
        }
    }
}

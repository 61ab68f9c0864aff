import Foundation

/// A dataset pipeline plugin (AV-MNIST, MM-IMDB, Memes, yours), registered in `Registry.pipelines` and
/// chosen with `--dataset NAME`: what a folder of it looks like, which inputs it pairs, which backbone reads
/// each one (searched supernet or fixed network), the label kind and metric, and the search defaults.
///
/// Everything dataset-specific the search needs comes from here, so the search orchestration and the
/// command-line tool never test a dataset's name.
public protocol Pipeline {
    /// The registry name and `--dataset` value, also the `Dataset.name` (`avmnist`).
    var name: String { get }
    /// One line for `hnas plugins`.
    var summary: String { get }
    /// The inputs in pairing order (the fusion network's input nodes follow it): searched ones first.
    var inputs: [PipelineInput] { get }
    /// Single-label (top-1 accuracy) or multi-label (weighted F1) classification.
    var labelKind: LabelKind { get }
    /// The names of the classes (or, multi-label, of the label columns).
    var classNames: [String] { get }
    /// The names of the splits the search trains, selects and tests on.
    var splits: PipelineSplits { get }
    /// The hardware tables' key of its backbones (`avmnist`, `mmimdb`, `memes`).
    var hardwareKey: String { get }
    /// The device whose tables a search prices on by default (`tx2`).
    var defaultHardware: String { get }
    /// The fusion macro-architecture space of its search (cells, nodes).
    var macroSpace: MacroSpace { get }
    /// The search budget used when neither flags nor a config file set it.
    var budget: SearchBudget { get }
    /// Other names of the pipeline in the original's search configs (their `dataset` key, e.g. `imdb`).
    var configNames: [String] { get }
    /// The original's data-loader batch size (AV-MNIST 256, MM-IMDB 16, Memes 64): the batches a subnet's
    /// BatchNorm statistics are recalibrated on, and the cap of on-demand supernet training batches — large
    /// inputs need small batches (MM-IMDB's 224² posters at 64 per training step took 7.5 GB).
    var batchSize: Int { get }

    /// Lists the layout of the dataset at `root`, collecting every problem (naming what is missing).
    func list(root: URL) -> DatasetListing

    /// The dataset of already listed `splits`, decoding through the registered modality plugins.
    /// - Throws: `HNASError` when a modality plugin the pipeline needs is not registered.
    func dataset(splits: [DatasetSplit], registry: Registry) throws -> Dataset
}

extension Pipeline {
    /// Opens the dataset at `root` with the registered modality plugins.
    /// - Throws: `HNASError` for layout problems (naming what is missing) or an unregistered modality plugin.
    public func open(root: URL, registry: Registry) throws -> Dataset {
        try dataset(splits: list(root: root).validSplits(), registry: registry)
    }

    public var configNames: [String] { [] }

    public var batchSize: Int { BatchNormRecalibration.defaultBatchSize }

    /// The searched inputs (those with a supernet), in pairing order.
    public var searchedInputs: [PipelineInput] { inputs.filter { $0.role == .searched } }
    /// The fixed inputs (e.g. the Maxout text network), in pairing order.
    public var fixedInputs: [PipelineInput] { inputs.filter { $0.role == .fixed } }

    /// The input read by modality `modality`.
    /// - Throws: `HNASError` naming `--modality` and listing the inputs when the pipeline has no such input.
    public func input(_ modality: String) throws -> PipelineInput {
        guard let input = inputs.first(where: { $0.modality == modality }) else {
            throw HNASError.argument("--modality", why: "the \(name) pipeline has no input '\(modality)' (it has "
                                     + inputs.map(\.modality).joined(separator: ", ") + ")")
        }
        return input
    }

    /// The input `modality` of the dataset: its registered modality plugin with the pipeline's options for it.
    /// - Throws: `HNASError` when the pipeline has no such input or the plugin is not registered.
    public func datasetInput(_ modality: String, registry: Registry) throws -> DatasetInput {
        let options = try input(modality).options
        return DatasetInput(modality: try registry.modalities.make(modality), options: options)
    }

    /// The backbones whose hardware cost counts for an architecture of this pipeline, with their input's name,
    /// in pairing order: the searched ones (the original adds only the OFA backbones; a fixed network such as
    /// the Maxout text backbone is not counted, SPEC-hardware §2).
    /// - Throws: `HNASError` when a backbone is not registered.
    public func costedBackbones(registry: Registry) throws -> [(modality: String, backbone: any Backbone)] {
        try searchedInputs.map { ($0.modality, try registry.backbones.make($0.backbone)) }
    }
}

/// One input of a pipeline and the backbone that reads it.
public struct PipelineInput: Equatable, Sendable {
    /// Whether the input's backbone is searched (a supernet) or fixed (one network, weights given or trained once).
    public enum Role: String, Codable, Sendable {
        case searched, fixed
    }

    /// The input's name in the `Dataset` (its modality: `image`, `audio`, `text`).
    public var modality: String
    public var role: Role
    /// The registry name of its backbone (`ofa-mbv3-avmnist-image`, `maxout-mmimdb-text`).
    public var backbone: String
    /// How many of the backbone's outputs feed the fusion network (SPEC-backbone §4.2: 4, or 7 for Memes;
    /// the Maxout network's 2).
    public var fusionFeatures: Int
    /// Whether the search decodes this input batch by batch from disk instead of holding a split's decoded
    /// inputs in memory (MM-IMDB's posters: ≈ 14 GB decoded); only the backbones' features are cached, and
    /// supernet training reads its batches from disk too.
    public var streamed: Bool
    /// The preprocessing the input's modality plugin applies (its keys are the plugin's, see its documentation).
    public var options: ModalityOptions

    public init(modality: String, role: Role, backbone: String, fusionFeatures: Int, streamed: Bool = false,
                options: ModalityOptions = [:]) {
        self.modality = modality
        self.role = role
        self.backbone = backbone
        self.fusionFeatures = fusionFeatures
        self.streamed = streamed
        self.options = options
    }
}

/// Single-label or multi-label classification, and the metric the original selects with.
public enum LabelKind: String, Codable, Sendable {
    case singleLabel = "single-label"
    case multiLabel = "multi-label"

    /// `top-1 accuracy` or `weighted F1`.
    public var metric: String { self == .singleLabel ? "top-1 accuracy" : "weighted F1" }
}

/// The splits a search uses: training, test, and the dataset's own validation split when it has one
/// (under protocol `sound` it is the selection split; without one, a validation split is carved from training).
public struct PipelineSplits: Equatable, Sendable {
    public var train: String
    public var test: String
    /// The dataset's own validation split (`dev`, `val`), nil when it has none.
    public var validation: String?

    public init(train: String = "train", test: String = "test", validation: String? = nil) {
        self.train = train
        self.test = test
        self.validation = validation
    }
}

/// The default budget of a pipeline's search.
public struct SearchBudget: Equatable, Sendable {
    public var population: Int
    public var generations: Int
    /// Fusion search (and retraining) epochs per candidate.
    public var fusionEpochs: Int
    /// Supernet training epochs when the weights are missing.
    public var supernetEpochs: Int
    /// Training epochs of a fixed backbone (e.g. the Maxout text network) when its weights are missing.
    public var fixedEpochs: Int

    public init(population: Int, generations: Int, fusionEpochs: Int, supernetEpochs: Int, fixedEpochs: Int) {
        self.population = population
        self.generations = generations
        self.fusionEpochs = fusionEpochs
        self.supernetEpochs = supernetEpochs
        self.fixedEpochs = fixedEpochs
    }
}

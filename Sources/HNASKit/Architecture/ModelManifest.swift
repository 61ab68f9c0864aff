import Foundation

/// `model.json` of a model directory (`best/<id>/` of a search, the output of `hnas best`):
/// everything besides the weights that running the multimodal model needs — the preprocessing
/// options of each input, which backbone (and subnet config) reads it, how many of its
/// outputs feed the fusion network, where the weights are, and how logits become labels.
///
/// ```
/// <dir>/model.json              this manifest
/// <dir>/arch.json               the architecture (backbone configs, fusion macro + genotype)
/// <dir>/<input>.safetensors     each backbone: searched subnets with BatchNorm recalibrated, fixed networks as used
/// <dir>/fusion.safetensors      the fusion network: weights + its spec (FusionModelFile)
/// <dir>/fusion.dot              the fusion genotype as a Graphviz graph
/// ```
public struct ModelManifest: Codable, Equatable, Sendable {
    /// The manifest's file name inside a model directory.
    public static let fileName = "model.json"
    /// The format tag written into every manifest.
    public static let currentFormat = "hnas-model-1"

    /// One input of the model, in the fusion network's input-node order.
    public struct Input: Codable, Equatable, Sendable {
        /// The modality plugin that decodes and preprocesses it (`image`, `audio`, `text`).
        public var modality: String
        /// Whether its backbone was searched (a subnet of a supernet) or fixed.
        public var searched: Bool
        /// The registry name of its backbone (`ofa-mbv3-avmnist-image`, `maxout-mmimdb-text`).
        public var backbone: String
        /// The subnet config (empty for a fixed network).
        public var config: BackboneConfig
        /// The weights file inside the directory.
        public var weights: String
        /// How many of the backbone's outputs feed the fusion network.
        public var fusionFeatures: Int
        /// The shape of one preprocessed input (without the batch axis), checked before running.
        public var inputShape: [Int]
        /// The options the modality plugin preprocesses this input with (the pipeline's, `PipelineInput.options`);
        /// nil in manifests that predate it, whose pipeline (`dataset`) then supplies them.
        public var preprocessing: ModalityOptions?

        public init(modality: String, searched: Bool, backbone: String, config: BackboneConfig, weights: String,
                    fusionFeatures: Int, inputShape: [Int], preprocessing: ModalityOptions? = nil) {
            self.modality = modality
            self.searched = searched
            self.backbone = backbone
            self.config = config
            self.weights = weights
            self.fusionFeatures = fusionFeatures
            self.inputShape = inputShape
            self.preprocessing = preprocessing
        }

        enum CodingKeys: String, CodingKey {
            case modality, searched, backbone, config, weights, fusionFeatures = "fusion_features", inputShape = "input_shape", preprocessing
        }
    }

    public var format: String
    /// The pipeline the model was trained on.
    public var dataset: String
    /// Whether a sample may carry several labels (sigmoid > `threshold`) rather than one class (softmax).
    public var multiLabel: Bool
    /// The class names (multi-label: the label columns), in logit order.
    public var classNames: [String]
    /// The multi-label decision threshold on each sigmoid (the original's 0.3); nil for single-label.
    public var threshold: Double?
    public var inputs: [Input]
    /// The fusion network's file inside the directory.
    public var fusion: String
    /// The test metric in percent when known (top-1 accuracy, or weighted F1 for multi-label) and its name.
    public var metric: Double?
    public var metricName: String
    /// Latency and energy of the whole model on `device`, when known.
    public var cost: Cost?
    public var device: String?

    public init(dataset: String, multiLabel: Bool, classNames: [String], threshold: Double?, inputs: [Input],
                fusion: String = "fusion.safetensors", metric: Double?, cost: Cost?, device: String?) {
        format = Self.currentFormat
        self.dataset = dataset
        self.multiLabel = multiLabel
        self.classNames = classNames
        self.threshold = threshold
        self.inputs = inputs
        self.fusion = fusion
        self.metric = metric
        metricName = multiLabel ? "weighted F1" : "top-1 accuracy"
        self.cost = cost
        self.device = device
    }

    enum CodingKeys: String, CodingKey {
        case format, dataset, multiLabel = "multi_label", classNames = "class_names", threshold, inputs, fusion, metric,
             metricName = "metric_name", cost, device
    }

    /// Every file the manifest names, relative to the directory, plus `arch.json`.
    public var files: [String] { [Self.fileName, "arch.json"] + inputs.map(\.weights) + [fusion] }

    /// Writes the manifest into `directory` atomically (pretty JSON, sorted keys).
    /// - Throws: `HNASError` naming the file when it cannot be written.
    public func write(into directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let url = directory.appendingPathComponent(Self.fileName)
        let data: Data
        do { data = try encoder.encode(self) } catch {
            throw HNASError.file(url.path, "cannot write model manifest", why: "\(error)")
        }
        try AtomicFile.write(data, to: url, "cannot write model manifest", path: url.path)
    }

    /// The most fusion features one input may give (the stock pipelines use 2 to 7).
    public static let maximumFusionFeatures = 64

    /// Checks what `read` cannot leave to the loaders: every file named is a plain name inside the directory (no
    /// folder part, so a manifest cannot point outside it), every input gives 1…`maximumFusionFeatures` fusion
    /// features and has a non-empty positive input shape, modalities are distinct, and a threshold lies in (0, 1).
    /// - Throws: `HNASError` naming `source` and the field.
    func validate(source: String) throws {
        func bad(_ field: String, _ why: String) -> HNASError { HNASError.file(source, "invalid model manifest", why: "\(field): \(why)") }
        for (field, name) in [("fusion", fusion)] + inputs.enumerated().map({ ("inputs[\($0.offset)].weights", $0.element.weights) }) {
            guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
                throw bad(field, "'\(name)' is not a file name inside the model directory")
            }
        }
        for (k, input) in inputs.enumerated() {
            guard (1...Self.maximumFusionFeatures).contains(input.fusionFeatures) else {
                throw bad("inputs[\(k)].fusion_features", "must be between 1 and \(Self.maximumFusionFeatures), got \(input.fusionFeatures)")
            }
            guard !input.inputShape.isEmpty, input.inputShape.allSatisfy({ $0 >= 1 }) else {
                throw bad("inputs[\(k)].input_shape", "\(input.inputShape) is not a shape of positive sizes")
            }
        }
        guard Set(inputs.map(\.modality)).count == inputs.count else { throw bad("inputs", "a modality is listed twice") }
        if let threshold, !(threshold > 0 && threshold < 1) { throw bad("threshold", "must be in (0, 1), got \(threshold)") }
    }

    /// Reads the manifest of the model directory at `directory` and checks that every part it names is
    /// there.
    /// - Throws: `HNASError` naming the directory and the missing part (`model.json`, a weights file,
    ///   `fusion.safetensors`, `arch.json`), or the field of an invalid manifest.
    public static func read(directory: URL) throws -> ModelManifest {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isFolder) else {
            throw HNASError.file(directory.path, "not a model directory", why: "no such folder")
        }
        guard isFolder.boolValue else { throw HNASError.file(directory.path, "not a model directory", why: "it is not a folder") }
        let url = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw HNASError.file(directory.path, "incomplete model directory", why: "\(fileName) is missing")
        }
        let data = try FileContents.read(url, "cannot read model manifest", path: url.path)
        let manifest: ModelManifest
        do { manifest = try JSONDecoder().decode(ModelManifest.self, from: data) } catch let error as DecodingError {
            throw HNASError.file(url.path, "invalid model manifest", why: Architecture.describe(error))
        }
        guard manifest.format == currentFormat else {
            throw HNASError.file(url.path, "invalid model manifest", why: "format '\(manifest.format)' is not \(currentFormat)")
        }
        guard !manifest.inputs.isEmpty, !manifest.classNames.isEmpty else {
            throw HNASError.file(url.path, "invalid model manifest", why: "no inputs or no class names")
        }
        try manifest.validate(source: url.path)
        let missing = manifest.files.filter { !FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path) }
        guard missing.isEmpty else {
            throw HNASError.file(directory.path, "incomplete model directory", why: "missing " + missing.joined(separator: ", "))
        }
        return manifest
    }
}

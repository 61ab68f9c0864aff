import Foundation
import HNASKit

/// What `hnas fusion-search --dataset` fuses: the trained backbone networks of a pipeline, the subnets named by
/// architecture files (or `max`/`min`), and the decoded splits, wrapped in the end-to-end search's
/// `SupernetSearchEvaluator` so the command scores backbones and computes fusion features exactly as
/// `hnas search` does.
///
/// Supernet weights are only loaded, never trained here: a missing file is an error saying how to make it,
/// because training takes far longer than the fusion search the user asked for.
public struct DatasetFusionSetup {
    /// The searched inputs in pairing order (AV-MNIST: image, audio).
    public let modalities: [String]
    /// The subnet of every modality, in `modalities` order.
    public let configs: [BackboneConfig]
    public let evaluator: SupernetSearchEvaluator
    public let data: SearchData

    /// Where a subnet comes from: an architecture file's `backbones.<modality>`, or the largest / smallest subnet.
    public struct Source {
        public var modality: String
        /// `max`, `min` or the path of an architecture JSON.
        public var spec: String
        /// The flag that gave `spec`, for error messages.
        public var flag: String

        public init(modality: String, spec: String, flag: String) {
            self.modality = modality
            self.spec = spec
            self.flag = flag
        }
    }

    /// Checks the architectures and the weights files first (cheap), then decodes the data and loads the networks.
    /// - Parameters:
    ///   - sources: one per searched input of `pipeline`, in any order.
    ///   - fusion: its protocol decides the splits (`sound`: the validation split `hnas search` uses).
    /// - Throws: `HNASError` for a missing or invalid architecture, missing or unreadable weights (saying how to
    ///   make them), or undecodable data.
    public static func load(pipeline: any Pipeline, dataRoot: String, sources: [Source], weightsDir: String, fusion: FusionSearchOptions,
                            hardware: any HardwareModel, fusionSearch: any FusionSearch, registry: Registry,
                            log: @escaping (String) -> Void) throws -> DatasetFusionSetup {
        let dataset = pipeline.name
        let searched = pipeline.searchedInputs
        if let extra = sources.first(where: { source in !searched.contains { $0.modality == source.modality } }) {
            throw HNASError.argument(extra.flag, why: "\(dataset) has no searched \(extra.modality) input (it searches "
                                     + "\(searched.map(\.modality).joined(separator: " and ")))")
        }
        let configs = try searched.map { input -> BackboneConfig in
            guard let source = sources.first(where: { $0.modality == input.modality }) else {
                throw HNASError.argument("--\(input.modality)-arch", why: "missing: \(dataset) searches \(searched.map(\.modality).joined(separator: " and "))")
            }
            return try config(source, backbone: try registry.backbones.make(input.backbone))
        }
        let weights = try pipeline.inputs.map { input -> URL in
            let url = URL(fileURLWithPath: weightsDir).appendingPathComponent(BackboneWeights.fileName(dataset: dataset, modality: input.modality))
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw HNASError.file(url.path, "missing \(input.role == .searched ? "supernet" : "\(input.modality) network") weights",
                                     why: "make them with `hnas \(input.role == .searched ? "train-supernet" : "train-text") --dataset \(dataset) "
                                     + "\(input.role == .searched ? "--modality \(input.modality) " : "")--out \(url.path)`, "
                                     + "or pass --weights-dir of a `hnas search` run (e.g. runs/\(dataset)/weights)")
            }
            return url
        }
        guard FileManager.default.fileExists(atPath: dataRoot) else {
            throw HNASError.file(dataRoot, "missing dataset folder", why: "no such file or directory")
        }
        let clock = Date()
        let source = try pipeline.open(root: URL(fileURLWithPath: dataRoot), registry: registry)
        let data = try SearchData.load(source, pipeline: pipeline, validationFraction: fusion.selectionHoldout, threads: Parallel.threads)
        log(String(format: "data: %d train / %d validation / %d test samples (%.1f s)", data.train[0].count,
                   data.validation?[0].count ?? 0, data.test[0].count, Date().timeIntervalSince(clock)))
        let networks = try zip(pipeline.inputs, weights).enumerated().map { m, pair -> any BackboneNetwork in
            let network = try registry.backbones.make(pair.0.backbone).makeNetwork(seed: 0)
            try BackboneWeights.load(network, from: pair.1, input: m, data: data, log: log) { warning in
                FileHandle.standardError.write(Data((warning + "\n").utf8))  // even with --quiet
            }
            return network
        }
        let evaluator = try SupernetSearchEvaluator(networks: networks, data: data, hardware: hardware, fusionSearch: fusionSearch,
                                                    options: SupernetSearchEvaluator.Options(pipeline: pipeline, fusion: fusion))
        evaluator.log = log
        return DatasetFusionSetup(modalities: searched.map(\.modality), configs: configs, evaluator: evaluator, data: data)
    }

    /// The subnet config `source` names, checked against `backbone`'s search space.
    /// - Throws: `HNASError` naming the file and the field (`backbones.image`, a gene position) for a bad architecture.
    public static func config(_ source: Source, backbone: any Backbone) throws -> BackboneConfig {
        var unused = SeededGenerator(seed: 0)
        switch source.spec {
        case "max": return backbone.sample(.max, using: &unused)
        case "min": return backbone.sample(.min, using: &unused)
        default: break
        }
        let architecture = try Architecture.load(path: source.spec)
        let field = "backbones.\(source.modality)"
        guard let config = architecture.backbones[source.modality] else {
            throw HNASError.file(source.spec, "invalid architecture for \(source.flag)",
                                 why: "field '\(field)' is missing (it has: \(architecture.backbones.keys.sorted().joined(separator: ", ")))")
        }
        do {
            try backbone.validate(config)
        } catch let error as HNASError {
            throw HNASError.file(source.spec, "invalid architecture for \(source.flag)", why: "field '\(field)': \(error.why)")
        }
        return config
    }
}

import Foundation
import HNASKit

/// What `hnas fusion-search --dataset` fuses: the trained supernets of a dataset, the subnets named by
/// architecture files (or `max`/`min`), and the decoded splits, wrapped in the end-to-end search's
/// `SupernetSearchEvaluator` so the command scores backbones and computes fusion features exactly as
/// `hnas search` does.
///
/// Supernet weights are only loaded, never trained here: a missing file is an error saying how to make it,
/// because training takes far longer than the fusion search the user asked for.
public struct DatasetFusionSetup {
    /// The searched modalities in pairing order (AV-MNIST: image, audio).
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

    /// Checks the architectures and the weights files first (cheap), then decodes the data and loads the supernets.
    /// - Parameters:
    ///   - sources: one per searched modality of `dataset`, in any order.
    ///   - fusion: its protocol decides the splits (`sound`: a validation split carved as `hnas search` carves it).
    /// - Throws: `HNASError` for an unsupported dataset, a missing or invalid architecture, missing or unreadable
    ///   weights (saying how to make them), or undecodable data.
    public static func load(dataset: String, dataRoot: String, open: (URL) throws -> Dataset, sources: [Source], weightsDir: String, fusion: FusionSearchOptions,
                     hardware: any HardwareModel, fusionSearch: any FusionSearch, registry: Registry,
                     log: @escaping (String) -> Void) throws -> DatasetFusionSetup {
        guard dataset == "avmnist" else {
            throw HNASError.argument("--dataset", why: "'\(dataset)': fusion search on supernet features supports avmnist "
                                     + "(MM-IMDB and Memes need their fixed text network, not built yet)")
        }
        let backbones = StockBackbones.costedBackbones(dataset: dataset)
        let configs = try backbones.map { modality, backbone -> BackboneConfig in
            guard let source = sources.first(where: { $0.modality == modality }) else {
                throw HNASError.argument("--\(modality)-arch", why: "missing: \(dataset) fuses \(backbones.map(\.modality).joined(separator: " and "))")
            }
            return try config(source, backbone: backbone)
        }
        let weights = try backbones.map { modality, _ -> URL in
            let url = URL(fileURLWithPath: weightsDir).appendingPathComponent(SupernetWeights.fileName(dataset: dataset, modality: modality))
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw HNASError.file(url.path, "missing supernet weights",
                                     why: "make them with `hnas train-supernet --dataset \(dataset) --modality \(modality) --out \(url.path)`, "
                                     + "or pass --weights-dir of a `hnas search` run (e.g. runs/\(dataset)/weights)")
            }
            return url
        }
        guard FileManager.default.fileExists(atPath: dataRoot) else {
            throw HNASError.file(dataRoot, "missing dataset folder", why: "no such file or directory")
        }
        let clock = Date()
        let source = try open(URL(fileURLWithPath: dataRoot))
        let modalities = backbones.map(\.modality)
        let data = try SearchData.load(source, inputs: modalities,
                                       validationFraction: fusion.selectionHoldout,
                                       threads: Parallel.threads)
        log(String(format: "data: %d train / %d validation / %d test samples (%.1f s)", data.train[0].count,
                   data.validation?[0].count ?? 0, data.test[0].count, Date().timeIntervalSince(clock)))
        let supernets = try zip(modalities, weights).map { modality, url -> OFAMobileNetV3 in
            try SupernetWeights.load(dataset: dataset, modality: modality, from: url, validationFraction: fusion.selectionHoldout,
                                     trainingSamples: data.train[0].count, log: log) { warning in
                FileHandle.standardError.write(Data((warning + "\n").utf8))  // even with --quiet
            }
        }
        let options = SupernetSearchEvaluator.Options(dataset: dataset, fusion: fusion, modalities: modalities)
        let evaluator = try SupernetSearchEvaluator(supernets: supernets, data: data, hardware: hardware,
                                                    fusionSearch: fusionSearch, options: options)
        evaluator.log = log
        return DatasetFusionSetup(modalities: modalities, configs: configs, evaluator: evaluator, data: data)
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

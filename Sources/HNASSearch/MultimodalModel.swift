import Foundation
import HNASKit

/// A whole multimodal model rebuilt from a model directory (`best/<id>/` of a search, the output of
/// `hnas best`; layout in `ModelManifest`): every input's backbone network with its saved weights (the
/// searched subnets with their recalibrated BatchNorm statistics, the fixed networks as used) and the
/// trained fusion network, run in evaluation mode — what `hnas predict` runs.
public final class MultimodalModel {
    public let manifest: ModelManifest
    /// One network per input, in the manifest's order.
    public let networks: [any BackboneNetwork]
    public let fusion: any FusionModel

    /// Loads the model directory at `directory`, rebuilding each part through `registry`.
    /// - Throws: `HNASError` naming the directory and the missing part, an unregistered backbone or fusion
    ///   plugin, or a weights file that does not fit its network (listing the tensors).
    public init(directory: URL, registry: Registry) throws {
        manifest = try ModelManifest.read(directory: directory)
        let empty = CalibrationBatches(count: 0) { _ in Tensor(zeros: [0]) }
        networks = try manifest.inputs.map { input in
            // The static network of the config, then the saved weights over it (BatchNorm statistics included).
            let network = try registry.backbones.make(input.backbone).makeNetwork(seed: 0).subnet(input.config, calibration: empty)
            try network.load(from: directory.appendingPathComponent(input.weights))
            return network
        }
        fusion = try FusionModelFile.load(from: directory.appendingPathComponent(manifest.fusion), registry: registry)
        let channels = manifest.inputs.reduce(0) { $0 + $1.fusionFeatures }
        guard fusion.spec.inputChannels.count == channels else {
            throw HNASError.file(directory.appendingPathComponent(manifest.fusion).path, "fusion network does not fit",
                                 why: "it takes \(fusion.spec.inputChannels.count) input nodes, the backbones give \(channels)")
        }
    }

    /// The logits `[N, classes]` of a batch: `inputs` holds one tensor `[N, …]` per input, in the manifest's order.
    /// - Throws: `HNASError` naming the input whose shape differs from the manifest's.
    public func logits(_ inputs: [Tensor]) throws -> Tensor {
        guard inputs.count == networks.count else {
            throw HNASError.argument("--input", why: "\(inputs.count) inputs given, the model takes \(networks.count)")
        }
        var features: [Tensor] = []
        for ((x, input), network) in zip(zip(inputs, manifest.inputs), networks) {
            guard Array(x.shape.dropFirst()) == input.inputShape else {
                throw HNASError.argument("--input \(input.modality)", why: "a preprocessed input of shape \(Array(x.shape.dropFirst())), "
                                         + "the model takes \(input.inputShape)")
            }
            features += try network.fusionFeatures(x, count: input.fusionFeatures)
        }
        return try fusion.logits(features)
    }

    /// One sample's prediction: the class (single-label) or the labels above the threshold (multi-label),
    /// and the probability of every class (softmax) or label (sigmoid), highest first.
    public struct Prediction: Codable, Equatable, Sendable {
        public struct Entry: Codable, Equatable, Sendable {
            public var name: String
            public var probability: Double
        }
        /// The predicted class, or the labels whose sigmoid exceeds the threshold.
        public var labels: [String]
        public var probabilities: [Entry]
    }

    /// The predictions of a batch (see `logits`).
    public func predict(_ inputs: [Tensor]) throws -> [Prediction] {
        let logits = try self.logits(inputs)
        let classes = manifest.classNames.count
        guard logits.shape == [inputs[0].shape[0], classes] else {
            throw HNASError.op("predict", why: "logits \(logits.shape) for \(classes) classes")
        }
        let rows = logits.scalars
        return (0..<logits.shape[0]).map { n in
            Self.prediction(rows[(n * classes)..<((n + 1) * classes)].map(Double.init), classNames: manifest.classNames,
                            multiLabel: manifest.multiLabel, threshold: manifest.threshold)
        }
    }

    /// The prediction of one row of logits: softmax and the arg-max class, or (multi-label) each label's
    /// sigmoid and the labels above `threshold` (0.5 when nil); probabilities highest first, ties in class order.
    public static func prediction(_ logits: [Double], classNames: [String], multiLabel: Bool, threshold: Double?) -> Prediction {
        let probabilities: [Double]
        if multiLabel {
            probabilities = logits.map { 1 / (1 + exp(-$0)) }
        } else {
            let top = logits.max() ?? 0
            let e = logits.map { exp($0 - top) }
            let sum = e.reduce(0, +)
            probabilities = e.map { $0 / sum }
        }
        let ranked = zip(classNames, probabilities).enumerated()
            .sorted { $0.element.1 != $1.element.1 ? $0.element.1 > $1.element.1 : $0.offset < $1.offset }
            .map { Prediction.Entry(name: $0.element.0, probability: $0.element.1) }
        let labels = multiLabel ? ranked.filter { $0.probability > (threshold ?? 0.5) }.map(\.name) : ranked.prefix(1).map(\.name)
        return Prediction(labels: labels, probabilities: ranked)
    }

    /// The preprocessed input of `modality` from `value` through its modality plugin with the model's
    /// preprocessing options (from the manifest, or for an older manifest its pipeline's): a file path, or — for
    /// a modality that takes inline input (text) — the text itself when no such file exists. The result has a
    /// batch axis of 1.
    /// - Throws: `HNASError` naming the input when the model has no such input, or the plugin's error (the
    ///   file cannot be decoded, is of the wrong kind, or inline text is not accepted).
    public func input(_ modality: String, value: String, registry: Registry) throws -> Tensor {
        guard let input = manifest.inputs.first(where: { $0.modality == modality }) else {
            throw HNASError.argument("--input \(modality)", why: "the model has no '\(modality)' input (it takes "
                                     + manifest.inputs.map(\.modality).joined(separator: ", ") + ")")
        }
        let options = try input.preprocessing
            ?? registry.pipelines.make(manifest.dataset).inputs.first { $0.modality == modality }?.options ?? [:]
        let plugin = try registry.modalities.make(modality)
        let x: Tensor
        if FileManager.default.fileExists(atPath: value) {
            x = try plugin.load(URL(fileURLWithPath: value), options: options)
        } else if let inline = plugin as? any InlineTextModality {
            x = try inline.load(text: value, options: options)
        } else {
            throw HNASError.file(value, "cannot read --input \(modality)", why: "no such file (the \(modality) modality reads files only)")
        }
        return try x.reshaped([1] + x.shape)
    }
}

import Foundation
import HNASKit

/// Cached backbone features of one split on disk, as a safetensors file: F32 tensors `node_0`,
/// `node_1`, … (one per input node, first axis = samples) and `labels` — I64 `[samples]` class
/// indices (the class count in the metadata key `classes`, else the largest label + 1) or F32
/// `[samples, labels]` multi-hot targets. Readable and writable from Python's `safetensors`.
public enum FusionFeatureFile {
    /// - Throws: `HNASError` naming the file when a node, the labels or their shapes are missing or wrong.
    public static func load(path: String) throws -> FusionSplit {
        let file = try SafeTensors.read(from: URL(fileURLWithPath: path))
        var features: [Tensor] = []
        while let entry = file.tensors["node_\(features.count)"] {
            guard case .float32(let t) = entry else {
                throw HNASError.file(path, "cannot read fusion features", why: "node_\(features.count) is not F32")
            }
            features.append(t)
        }
        guard !features.isEmpty else {
            throw HNASError.file(path, "cannot read fusion features", why: "no tensor 'node_0' (expected node_0, node_1, … and labels)")
        }
        let labels: FusionLabels
        switch file.tensors["labels"] {
        case .int64(let t)?:
            guard t.shape.count == 1 else { throw HNASError.file(path, "cannot read fusion features", why: "I64 labels \(t.shape) are not [samples]") }
            let values = t.scalars.map { Int($0) }
            let classes = file.metadata["classes"].flatMap(Int.init) ?? ((values.max() ?? 0) + 1)
            labels = .classes(values, classes: classes)
        case .float32(let t)?:
            labels = .multiLabel(t)
        case nil:
            throw HNASError.file(path, "cannot read fusion features", why: "no tensor 'labels'")
        }
        do { return try FusionSplit(features: features, labels: labels) } catch let error as HNASError {
            throw HNASError.file(path, "cannot read fusion features", why: "\(error)")
        }
    }

    /// Writes `split` atomically.
    public static func save(_ split: FusionSplit, path: String) throws {
        var tensors: [String: SafeTensors.Entry] = [:], metadata: [String: String] = [:]
        for (k, t) in split.features.enumerated() { tensors["node_\(k)"] = .float32(t) }
        switch split.labels {
        case .classes(let values, let classes):
            tensors["labels"] = .int64(try Int64Tensor(shape: [values.count], scalars: values.map(Int64.init)))
            metadata["classes"] = String(classes)
        case .multiLabel(let targets):
            tensors["labels"] = .float32(targets)
        }
        try SafeTensors(tensors: tensors, metadata: metadata).write(to: URL(fileURLWithPath: path))
    }
}

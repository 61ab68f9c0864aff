/// The labels of a fusion split: one class per sample, or a multi-hot row per sample.
public enum FusionLabels: Sendable {
    /// Single-label classification: a class index in `0..<classes` per sample (cross-entropy, accuracy).
    case classes([Int], classes: Int)
    /// Multi-label: a [samples, labels] tensor of 0/1 targets (binary cross-entropy, weighted F1).
    case multiLabel(Tensor)

    /// The number of samples labelled.
    public var count: Int {
        switch self {
        case .classes(let labels, _): return labels.count
        case .multiLabel(let targets): return targets.shape.first ?? 0
        }
    }

    /// The classifier's output width.
    public var outputs: Int {
        switch self {
        case .classes(_, let classes): return classes
        case .multiLabel(let targets): return targets.shape.count == 2 ? targets.shape[1] : 0
        }
    }
}

/// One split (train, validation or test) of cached backbone features.
///
/// `features[k]` holds input node k for every sample: `[samples, c]` (a feature vector),
/// `[samples, c, t]` or `[samples, c, h, w]` (a feature map), in the order the fusion network
/// numbers its input nodes (modality 1's selected outputs first, then modality 2's).
public struct FusionSplit: Sendable {
    public var features: [Tensor]
    public var labels: FusionLabels

    /// - Throws: `HNASError` when there are no input nodes, a node has an unsupported rank, the
    ///   nodes disagree on the sample count, or the labels do not match it.
    public init(features: [Tensor], labels: FusionLabels) throws {
        guard !features.isEmpty else {
            throw HNASError.argument("fusion features", why: "no input node features were given")
        }
        for (k, f) in features.enumerated() where !(2...4).contains(f.rank) || f.shape.contains(0) {
            throw HNASError.argument("fusion features[\(k)]",
                                     why: "shape \(f.shape) is not [samples, c], [samples, c, t] or [samples, c, h, w] with non-zero sizes")
        }
        let samples = features[0].shape[0]
        for (k, f) in features.enumerated() where f.shape[0] != samples {
            throw HNASError.argument("fusion features[\(k)]", why: "has \(f.shape[0]) samples but input node 0 has \(samples)")
        }
        guard labels.count == samples else {
            throw HNASError.argument("fusion labels", why: "\(labels.count) labels for \(samples) samples")
        }
        switch labels {
        case .classes(let values, let classes):
            guard classes >= 2 else { throw HNASError.argument("fusion labels", why: "\(classes) classes; need at least 2") }
            if let bad = values.first(where: { $0 < 0 || $0 >= classes }) {
                throw HNASError.argument("fusion labels", why: "label \(bad) is outside 0..<\(classes)")
            }
        case .multiLabel(let targets):
            guard targets.rank == 2, targets.shape[1] >= 1 else {
                throw HNASError.argument("fusion labels", why: "multi-label targets \(targets.shape) are not [samples, labels]")
            }
        }
        self.features = features
        self.labels = labels
    }

    /// The number of samples.
    public var count: Int { features[0].shape[0] }
    /// The number of input nodes.
    public var inputNodes: Int { features.count }
    /// The channel count of each input node (`shape[1]`).
    public var channels: [Int] { features.map { $0.shape[1] } }
}

import Foundation

/// Per-label true-positive, false-positive and false-negative counts of multi-label predictions
/// `sigmoid(logit) > threshold`, accumulated batch by batch, and the weighted F1 they give — so a
/// training epoch can report its running weighted F1 without keeping every logit.
public struct MultiLabelCounts: Sendable {
    public let threshold: Double
    public private(set) var truePositives: [Int]
    public private(set) var falsePositives: [Int]
    public private(set) var falseNegatives: [Int]

    /// Empty counts for `labels` label columns.
    public init(labels: Int, threshold: Double = SubnetEvaluation.multiLabelThreshold) {
        self.threshold = threshold
        truePositives = Array(repeating: 0, count: labels)
        falsePositives = truePositives
        falseNegatives = truePositives
    }

    /// Adds the predictions of `logits` [N, L] against multi-hot `targets` [N, L].
    /// - Throws: `HNASError` when the shapes differ from each other or from the label count.
    public mutating func add(logits: Tensor, targets: Tensor) throws {
        let labels = truePositives.count
        guard logits.rank == 2, logits.shape == targets.shape, logits.shape[1] == labels else {
            throw HNASError.op("weightedF1", why: "logits \(logits.shape) and targets \(targets.shape) must both be [N, \(labels)]")
        }
        // sigmoid(x) > θ  ⇔  x > log(θ / (1 − θ))
        let cut = Float(log(threshold / (1 - threshold)))
        let p = logits.scalars, t = targets.scalars
        for i in 0..<logits.shape[0] {
            for l in 0..<labels {
                let predicted = p[i * labels + l] > cut, actual = t[i * labels + l] > 0.5
                if predicted && actual { truePositives[l] += 1 } else if predicted { falsePositives[l] += 1 } else if actual { falseNegatives[l] += 1 }
            }
        }
    }

    /// scikit-learn's `f1_score(average="weighted", zero_division=1)` × 100: per label
    /// F1 = 2·TP / (2·TP + FP + FN) (1 when a label is never true nor predicted), averaged with the
    /// label's number of true samples as weight (100 when no label is ever true).
    public var weightedF1: Double {
        var weighted = 0.0, support = 0
        for l in truePositives.indices {
            let (tp, fp, fn) = (truePositives[l], falsePositives[l], falseNegatives[l])
            let denominator = 2 * tp + fp + fn
            let f1 = denominator == 0 ? 1 : Double(2 * tp) / Double(denominator)
            weighted += f1 * Double(tp + fn)
            support += tp + fn
        }
        return support == 0 ? 100 : 100 * weighted / Double(support)
    }
}

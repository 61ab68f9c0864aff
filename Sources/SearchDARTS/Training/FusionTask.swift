import Foundation
import HNASKit

/// The loss and metric of a fusion split's labels (SPEC-fusion §4.4–4.5).
///
/// - Classification: cross-entropy (mean over the batch); accuracy of the argmax.
/// - Multi-label: binary cross-entropy with logits (mean over all elements); weighted F1 of
///   `σ(logit) > 0.3`, per-label F1 `2TP/(2TP+FP+FN)` averaged with the labels' support as
///   weights, `zero_division = 1`.
/// Metrics are in percent.
enum FusionTask {
    /// The threshold on the probability for a positive multi-label prediction (`th_fscore`).
    static let multiLabelThreshold: Float = 0.3

    /// The criterion ℓ on a batch.
    static func loss(_ logits: Tensor, _ labels: FusionLabels) throws -> Tensor {
        switch labels {
        case .classes(let values, _): return try Loss.crossEntropy(logits: logits, labels: values)
        case .multiLabel(let targets): return try Loss.binaryCrossEntropyWithLogits(logits: logits, targets: targets)
        }
    }

    /// The metric over a whole phase, from every batch's logits concatenated in sample order.
    static func metric(_ logits: Tensor, _ labels: FusionLabels) -> Double {
        let outputs = logits.shape[1], rows = logits.shape[0], x = logits.scalars
        switch labels {
        case .classes(let values, _):
            guard rows > 0 else { return 0 }
            var correct = 0
            for r in 0..<rows {
                if firstArgmax(x[(r * outputs)..<((r + 1) * outputs)]) == values[r] { correct += 1 }
            }
            return 100 * Double(correct) / Double(rows)
        case .multiLabel(let targets):
            return 100 * weightedF1(logits: x, targets: targets.scalars, labels: outputs)
        }
    }

    /// The position (from 0) of the first maximum; NaN never wins, so NaN rows never trap.
    static func firstArgmax(_ values: ArraySlice<Float>) -> Int {
        var best = values.startIndex
        for i in values.indices where values[i] > values[best] { best = i }
        return best - values.startIndex
    }

    /// Support-weighted F1 over labels, `zero_division = 1`.
    static func weightedF1(logits: [Float], targets: [Float], labels: Int) -> Double {
        let cut = Foundation.log(multiLabelThreshold / (1 - multiLabelThreshold))   // σ(x) > 0.3 ⇔ x > logit(0.3)
        var tp = [Int](repeating: 0, count: labels), fp = tp, fn = tp
        for (i, (x, t)) in zip(logits, targets).enumerated() {
            let predicted = x > cut, actual = t > 0.5, l = i % labels
            if predicted && actual { tp[l] += 1 } else if predicted { fp[l] += 1 } else if actual { fn[l] += 1 }
        }
        let support = zip(tp, fn).map { $0 + $1 }
        let total = support.reduce(0, +)
        guard total > 0 else { return 1 }
        var sum = 0.0
        for l in 0..<labels where support[l] > 0 {
            let denominator = 2 * tp[l] + fp[l] + fn[l]
            sum += Double(support[l]) * (denominator == 0 ? 1 : 2 * Double(tp[l]) / Double(denominator))
        }
        return sum / Double(total)
    }
}

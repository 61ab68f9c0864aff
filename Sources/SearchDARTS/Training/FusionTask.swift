import Foundation
import HNASKit

/// The loss and metric of a fusion split's labels (SPEC-fusion §4.4–4.5).
///
/// - Classification: cross-entropy (mean over the batch); accuracy of the argmax.
/// - Multi-label: binary cross-entropy with logits (mean over all elements); weighted F1 of
///   `σ(logit) > 0.3` (`th_fscore`), per-label F1 `2TP/(2TP+FP+FN)` averaged with the labels' support as
///   weights, `zero_division = 1` — HNASKit's `SubnetEvaluation.weightedF1`.
/// Metrics are in percent.
enum FusionTask {
    /// The criterion ℓ on a batch.
    static func loss(_ logits: Tensor, _ labels: FusionLabels) throws -> Tensor {
        switch labels {
        case .classes(let values, _): return try Loss.crossEntropy(logits: logits, labels: values)
        case .multiLabel(let targets): return try Loss.binaryCrossEntropyWithLogits(logits: logits, targets: targets)
        }
    }

    /// The metric over a whole phase, from every batch's logits concatenated in sample order.
    /// - Throws: `HNASError` when multi-label targets are not shaped like the logits.
    static func metric(_ logits: Tensor, _ labels: FusionLabels) throws -> Double {
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
            return try SubnetEvaluation.weightedF1(logits: logits, targets: targets)
        }
    }

    /// The position (from 0) of the first maximum; NaN never wins, so NaN rows never trap.
    static func firstArgmax(_ values: ArraySlice<Float>) -> Int {
        var best = values.startIndex
        for i in values.indices where values[i] > values[best] { best = i }
        return best - values.startIndex
    }
}

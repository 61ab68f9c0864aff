import Foundation

/// Harmonic-NAS's unimodal score of a subnet (SPEC-backbone §5.2–5.3): extract it, recalibrate its
/// BatchNorm statistics on up to 64 shuffled training batches of 256 (drop-last), then, over the
/// whole test split in evaluation mode, top-1 accuracy (%) of its logits — or, for multi-label
/// data (MM-IMDB), the weighted F1 (%) of `sigmoid(logits) > 0.3`.
public enum SubnetEvaluation {
    /// MM-IMDB's decision threshold on the sigmoid of each logit.
    public static let multiLabelThreshold = 0.3

    /// Accuracy (single-label) or weighted F1 (multi-label) in percent, as the original reports it, in batches of
    /// `batchSize` (default: the split's `evaluationBatchSize`).
    public static func score(of network: OFAMobileNetV3, on data: any LabelledSplit, batchSize: Int? = nil) throws -> Double {
        guard let targets = data.multiHot else { return try accuracy(of: network, on: data, batchSize: batchSize) }
        network.eval()
        let logits = try Autograd.withoutGrad {
            try Tensor.concat(try data.sequentialBatches(size: batchSize ?? data.evaluationBatchSize).map { try network(try data.inputs($0)) }, axis: 0)
        }
        return try weightedF1(logits: logits, targets: targets)
    }

    /// scikit-learn's `f1_score(average="weighted", zero_division=1)` × 100 of the predictions
    /// `sigmoid(logits) > threshold` against multi-hot `targets` [N, L]: per label
    /// F1 = 2·TP / (2·TP + FP + FN) (1 when a label is never true nor predicted), averaged with the
    /// label's number of true samples as weight.
    public static func weightedF1(logits: Tensor, targets: Tensor, threshold: Double = multiLabelThreshold) throws -> Double {
        guard logits.rank == 2, logits.shape == targets.shape else {
            throw HNASError.op("weightedF1", why: "logits \(logits.shape) and targets \(targets.shape) must both be [N, labels]")
        }
        var counts = MultiLabelCounts(labels: logits.shape[1], threshold: threshold)
        try counts.add(logits: logits, targets: targets)
        return counts.weightedF1
    }

    /// Top-1 accuracy in percent of `network`'s active subnet on `data`, in evaluation mode, no gradients, in
    /// batches of `batchSize` (default: the split's `evaluationBatchSize`).
    public static func accuracy(of network: OFAMobileNetV3, on data: any LabelledSplit, batchSize: Int? = nil) throws -> Double {
        network.eval()
        var correct = 0
        try Autograd.withoutGrad {
            for indices in data.sequentialBatches(size: batchSize ?? data.evaluationBatchSize) {
                let x = try data.inputs(indices), y = data.labels(indices)
                correct += zip(try predictions(try network(x)), y).filter { $0 == $1 }.count
            }
        }
        return 100 * Double(correct) / Double(Swift.max(data.count, 1))
    }

    /// Arg-max class of each row of [N, classes] logits.
    public static func predictions(_ logits: Tensor) throws -> [Int] {
        guard logits.rank == 2, logits.shape[1] > 0 else { throw HNASError.op("predictions", why: "logits \(logits.shape) are not [N, classes]") }
        let classes = logits.shape[1]
        return logits.withUnsafeBufferPointer { p in
            (0..<logits.shape[0]).map { row in
                let r = p[(row * classes)..<((row + 1) * classes)]
                return r.indices.max { r[$0] < r[$1] }! - row * classes
            }
        }
    }

    /// The subnet `config` of `supernet`, extracted and BN-recalibrated on `train`, scored on `test`.
    /// - Returns: the recalibrated static subnet and its `score` (accuracy or weighted F1, %).
    public static func evaluate(_ supernet: OFAMobileNetV3, config: BackboneConfig, train: any LabelledSplit, test: any LabelledSplit,
                                generator: inout SeededGenerator,
                                calibrationBatches: Int = BatchNormRecalibration.defaultBatchCount,
                                calibrationBatchSize: Int = BatchNormRecalibration.defaultBatchSize) throws -> (subnet: OFAMobileNetV3, score: Double) {
        let subnet = try recalibrated(supernet, config: config, train: train, generator: &generator,
                                      calibrationBatches: calibrationBatches, calibrationBatchSize: calibrationBatchSize)
        return (subnet, try score(of: subnet, on: test))
    }

    /// The static subnet `config` of `supernet` with BatchNorm statistics recalibrated on the first
    /// `calibrationBatches` shuffled (drop-last) batches of `train`: the subnet as it is scored.
    public static func recalibrated(_ supernet: OFAMobileNetV3, config: BackboneConfig, train: any LabelledSplit,
                                    generator: inout SeededGenerator,
                                    calibrationBatches: Int = BatchNormRecalibration.defaultBatchCount,
                                    calibrationBatchSize: Int = BatchNormRecalibration.defaultBatchSize) throws -> OFAMobileNetV3 {
        guard calibrationBatches >= 1 else {
            throw HNASError.argument("calibration batches", why: "must be at least 1, got \(calibrationBatches)")
        }
        let subnet = try supernet.extractSubnet(config)
        let batches = Array(train.shuffledBatches(size: calibrationBatchSize, using: &generator).prefix(calibrationBatches))
        _ = try CalibrationBatches(count: batches.count) { try train.inputs(batches[$0]) }.withSequence { try subnet.recalibrateBatchNorm(on: $0) }
        return subnet
    }
}

/// Harmonic-NAS's unimodal score of a subnet (SPEC-backbone §5.2–5.3): extract it, recalibrate its
/// BatchNorm statistics on up to 64 shuffled training batches of 256 (drop-last), then top-1
/// accuracy (%) of its logits over the whole test split in evaluation mode.
public enum SubnetEvaluation {
    /// Top-1 accuracy in percent of `network`'s active subnet on `data`, in evaluation mode, no gradients.
    public static func accuracy(of network: OFAMobileNetV3, on data: TensorDataset, batchSize: Int = 256) throws -> Double {
        network.eval()
        var correct = 0
        try Autograd.withoutGrad {
            for indices in data.sequentialBatches(size: batchSize) {
                let (x, y) = data.batch(indices)
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
    /// - Returns: the recalibrated static subnet and its accuracy (%).
    public static func evaluate(_ supernet: OFAMobileNetV3, config: BackboneConfig, train: TensorDataset, test: TensorDataset,
                                generator: inout SeededGenerator,
                                calibrationBatches: Int = BatchNormRecalibration.defaultBatchCount,
                                calibrationBatchSize: Int = BatchNormRecalibration.defaultBatchSize) throws -> (subnet: OFAMobileNetV3, accuracy: Double) {
        let subnet = try supernet.extractSubnet(config)
        let batches = train.shuffledBatches(size: calibrationBatchSize, using: &generator).prefix(calibrationBatches)
        try subnet.recalibrateBatchNorm(on: batches.lazy.map { train.batch($0).inputs })
        return (subnet, try accuracy(of: subnet, on: test))
    }
}

extension OFAMobileNetV3 {
    /// The fusion network's input-node features for every sample of `inputs` ([N, C, H, W]): the
    /// `count` outputs chosen by `fusionFeatureIndices`, each concatenated over the samples
    /// ([N, c, h, w]), computed in evaluation mode without gradients, `batchSize` samples at a time.
    /// This is what a fusion search caches per backbone config (the backbones are frozen; BN uses
    /// the statistics of the last recalibration — the original's train-mode side effects, pitfall 12,
    /// are not reproduced).
    public func fusionFeatures(forAll inputs: Tensor, count: Int, batchSize: Int = 256) throws -> [Tensor] {
        guard inputs.rank == 4, inputs.shape[0] > 0, batchSize > 0 else {
            throw HNASError.op("fusionFeatures", why: "inputs \(inputs.shape) are not a non-empty N×C×H×W batch (batch size \(batchSize))")
        }
        return try batchedOutputs(inputs, count: count, batchSize: batchSize) { try fusionFeatures($0, count: count) }
    }
}

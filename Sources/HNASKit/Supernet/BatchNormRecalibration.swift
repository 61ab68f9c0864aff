/// Harmonic-NAS's BatchNorm recalibration of a sampled subnet before it is evaluated
/// (SPEC-backbone §5.2): every BN layer is reset (mean 0, variance 1, no batches) and switched to a
/// cumulative average (PyTorch `momentum=None`), the rest of the network stays in evaluation mode
/// (dropout off), up to `defaultBatchCount` training batches are forwarded without gradients, and
/// the network is left in evaluation mode with the recalibrated statistics. After n batches each
/// running mean is the plain average of the n batch means and each running variance the plain
/// average of the n unbiased batch variances.
public enum BatchNormRecalibration {
    /// `post_bn_calibration_batch_num` of the original.
    public static let defaultBatchCount = 64
    /// The original's training batch size (AV-MNIST: 1 050 samples → 4 full batches, `drop_last`).
    public static let defaultBatchSize = 256

    /// Recalibrates every `BatchNorm` under `module` on `batches` by calling `forward` on each.
    /// Momenta are restored afterwards; the module ends in evaluation mode.
    /// - Returns: the number of batches used.
    @discardableResult
    public static func run<M: Module, S: Sequence>(_ module: M, batches: S,
                                                   forward: (Tensor) throws -> Void) throws -> Int where S.Element == Tensor {
        let norms = module.namedModules().compactMap { $0.1 as? BatchNorm }
        let momenta = norms.map(\.momentum)
        defer {
            for (bn, momentum) in zip(norms, momenta) { bn.momentum = momentum }
            module.eval()
        }
        module.beginBatchNormRecalibration()
        var used = 0
        try Autograd.withoutGrad {
            for batch in batches {
                try forward(batch)
                used += 1
            }
        }
        return used
    }
}

extension OFAMobileNetV3 {
    /// Recalibrates this network's BatchNorm statistics on `batches` (see `BatchNormRecalibration`).
    /// Meant for an extracted subnet, as the original does; on the supernet it recalibrates the
    /// active channel slices and resets the inactive ones.
    @discardableResult
    public func recalibrateBatchNorm<S: Sequence>(on batches: S) throws -> Int where S.Element == Tensor {
        try BatchNormRecalibration.run(self, batches: batches) { _ = try self.outputs($0) }
    }
}

extension Module {
    /// `outputs` of every sample of `inputs` (axis 0), computed in evaluation mode without
    /// gradients, `batchSize` samples at a time, each of the `count` outputs concatenated over the
    /// samples: how a frozen backbone's fusion features are cached for a whole split without holding
    /// the activations of all samples at once.
    /// - Precondition: `batchSize > 0` (callers validate their inputs and name them in the error).
    public func batchedOutputs(_ inputs: Tensor, count: Int, batchSize: Int, _ outputs: (Tensor) throws -> [Tensor]) throws -> [Tensor] {
        precondition(batchSize > 0, "batchSize must be positive")
        eval()
        var parts: [[Tensor]] = []
        try Autograd.withoutGrad {
            for start in stride(from: 0, to: inputs.shape[0], by: batchSize) {
                parts.append(try outputs(try inputs.slice(axis: 0, start..<Swift.min(start + batchSize, inputs.shape[0]))))
            }
        }
        return try (0..<count).map { k in try Tensor.concat(parts.map { $0[k] }, axis: 0) }
    }
}

import HNASKit

extension MaxoutNetwork {
    /// The indices of the outputs the original feeds to the fusion network: fixed `[0, 1]`, the two
    /// maxout outputs before BatchNorm (SPEC-fusion §1.3), for MM-IMDB and Memes alike.
    public static let fusionFeatureIndices = [0, 1]

    /// The fusion network's text inputs for `x` [N, inputFeatures]: `outputs(x)` at `fusionFeatureIndices`.
    /// In training mode the second one depends on the dropout after the first BatchNorm
    /// (SPEC-fusion pitfall 16, the original's behaviour during fusion search).
    public func fusionFeatures(_ x: Tensor) throws -> [Tensor] {
        let list = try outputs(x)
        return Self.fusionFeatureIndices.map { list[$0] }
    }

    /// Channels of the outputs `fusionFeatures` returns (default [128, 256]), from the architecture,
    /// without a probe forward (which would touch BN statistics — SPEC-backbone pitfall 12).
    public var fusionFeatureChannels: [Int] {
        let channels = hiddenWidths + [classes]
        return Self.fusionFeatureIndices.map { channels[$0] }
    }

    /// The original's declared channel list of the whole output list, e.g. [128, 256, 23] (MM-IMDB).
    public var outputChannels: [Int] { hiddenWidths + [classes] }

    /// The fusion features of every row of `inputs` [N, inputFeatures], computed in evaluation mode
    /// without gradients, `batchSize` rows at a time, each concatenated over the rows — what a fusion
    /// search caches for the frozen text backbone (the original's train-mode BN/dropout during fusion,
    /// SPEC-backbone pitfall 12, is not reproduced here).
    public func fusionFeatures(forAll inputs: Tensor, batchSize: Int = 256) throws -> [Tensor] {
        guard inputs.rank == 2, inputs.shape[0] > 0, batchSize > 0 else {
            throw HNASError.op("fusionFeatures", why: "inputs \(inputs.shape) are not a non-empty N×\(inputFeatures) batch (batch size \(batchSize))")
        }
        return try batchedOutputs(inputs, count: Self.fusionFeatureIndices.count, batchSize: batchSize) { try fusionFeatures($0) }
    }
}

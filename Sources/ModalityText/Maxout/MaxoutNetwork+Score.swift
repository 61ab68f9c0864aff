import HNASKit

extension MaxoutNetwork {
    /// The original's metric of this network on `data` in evaluation mode: weighted F1 × 100 of
    /// `sigmoid(logits) > 0.3` for multi-label data (MM-IMDB), else top-1 accuracy in percent.
    /// - Throws: `HNASError` when the samples are not [inputFeatures] vectors.
    public func score(on data: TensorDataset, batchSize: Int = 256) throws -> Double {
        eval()
        let logits = try Autograd.withoutGrad {
            try Tensor.concat(try data.sequentialBatches(size: batchSize).map { try self(data.batch($0).inputs) }, axis: 0)
        }
        if let multiHot = data.multiHot { return try SubnetEvaluation.weightedF1(logits: logits, targets: multiHot) }
        let correct = zip(try SubnetEvaluation.predictions(logits), data.labels).filter { $0 == $1 }.count
        return 100 * Double(correct) / Double(Swift.max(data.count, 1))
    }
}

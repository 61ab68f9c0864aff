import HNASKit

extension Tensor {
    /// `Σ_k w[k]·t_k` for equally shaped tensors and `weights` with K elements, as one matrix
    /// product (`[1, K] · [K, size]`), differentiable in the weights and in every tensor. Mixed
    /// edges and mixed node operations combine their candidates with softmax weights this way.
    static func weightedSum(_ tensors: [Tensor], weights: Tensor) throws -> Tensor {
        guard let first = tensors.first, weights.count == tensors.count,
              tensors.allSatisfy({ $0.shape == first.shape }) else {
            throw HNASError.op("weightedSum", why: "\(tensors.count) tensors of shapes \(tensors.map(\.shape)) with weights \(weights.shape)")
        }
        let rows = try tensors.map { try $0.reshaped([1, first.count]) }
        let stacked = try Tensor.concat(rows, axis: 0)
        return try Tensor.matmul(weights.reshaped([1, tensors.count]), stacked).reshaped(first.shape)
    }
}

import HNASKit

extension Tensor {
    /// `Σ_k w[k]·t_k` for equally shaped tensors and `weights` with K elements, differentiable in the
    /// weights and in every tensor: the engine's `linearCombination` (one pass, no stacked copy).
    /// Mixed edges and mixed node operations combine their candidates with softmax weights this way.
    static func weightedSum(_ tensors: [Tensor], weights: Tensor) throws -> Tensor {
        try linearCombination(tensors, weights: weights)
    }
}

import HNASKit

/// A fusion network trained on pooled features: the searchable supernet or a derived network.
protocol FusionNetwork: Module {
    /// Logits `[B, outputs]` from the pooled features `[B, c_k, L]` of every input node.
    func callAsFunction(_ inputs: [Tensor]) throws -> Tensor
}

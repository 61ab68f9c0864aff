/// A trained fusion network as a fusion search returns it: what the multimodal model runs on top of
/// its frozen backbones. The core knows it only through this protocol (no operator names, no
/// genotype structure), so a search, the run directory and `hnas predict` work with any fusion plugin.
///
/// A model is saved as its weights (`stateDict()`) plus its `spec` (a Codable description) and
/// rebuilt by the plugin that made it: `registry.fusionSearches.make(spec.search).model(spec)`, then
/// `load(stateDict:)` — the rebuilt model gives the same logits.
public protocol FusionModel: AnyObject {
    /// Everything needed to rebuild the network (without its weights).
    var spec: FusionModelSpec { get }
    /// The genotype as printed in logs, `pareto.csv` and result records (DARTS: the original's
    /// `Genotype(edges=[…], steps=[…], concat=[…])`).
    var genotypeText: String { get }
    /// The operators a hardware model's fusion table prices, in order.
    var operators: [String] { get }
    /// The architecture as a Graphviz DOT graph; `inputNames` name the input nodes in order
    /// (`Image_1`, …, `Audio_4`: consecutive names with one prefix form a cluster).
    /// - Throws: `HNASError` when the names do not match the model's input nodes.
    func dot(inputNames: [String]) throws -> String
    /// Logits `[N, outputs]` in evaluation mode (no dropout, BatchNorm running statistics) from the
    /// cached backbone features of N samples, one tensor per input node as in `FusionSplit.features`.
    /// - Throws: `HNASError` when the number or shapes of the features do not fit the model.
    func logits(_ features: [Tensor]) throws -> Tensor
    /// The trained weights by name (safetensors-ready).
    func stateDict() -> SafeTensors
    /// Replaces the weights by those of `stateDict` (every tensor present with its exact shape).
    /// - Throws: `HNASError` naming `source` and listing missing, unexpected or mis-shaped tensors.
    func load(stateDict: SafeTensors, source: String) throws
}

/// A weight-sharing supernet for one modality, seen from the search: its space of subnet configs
/// and the hardware description of a subnet.
///
/// The tensor-level part (activate a config, forward to logits and fusion features, recalibrate
/// BatchNorm, extract a static subnet) is added by the supernet module on top of this.
public protocol Backbone {
    /// The registry name, e.g. `"ofa-mbv3-avmnist-image"`.
    var name: String { get }
    /// The gene names and the values each position may take, e.g. `ks` → [3, 5, 7].
    var searchSpace: [String: [[Int]]] { get }
    /// Checks `config` against the search space.
    /// - Throws: `HNASError` naming the gene, the value and the allowed set.
    func validate(_ config: BackboneConfig) throws
    /// The layers of the subnet `config`, in execution order, for hardware cost look-up.
    func layerDescriptors(_ config: BackboneConfig) throws -> [LayerDescriptor]
}

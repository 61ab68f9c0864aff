/// An OFA MobileNetV3 supernet seen as a `Backbone`: genes `ks` and `e` (one per block slot) and
/// `d` (one per stage), in the original's sampling order, over an `OFASupernetSpace`.
public struct OFABackbone: Backbone, Sendable {
    public let name: String
    public let space: OFASupernetSpace

    public init(name: String, space: OFASupernetSpace) {
        self.name = name
        self.space = space
    }

    public var geneOrder: [String] { ["ks", "e", "d"] }

    public var searchSpace: [String: [[Int]]] {
        [
            "ks": Array(repeating: OFASupernetSpace.kernelChoices, count: space.blockSlots),
            "e": Array(repeating: OFASupernetSpace.expandChoices, count: space.blockSlots),
            "d": Array(repeating: OFASupernetSpace.depthChoices, count: space.stages.count),
        ]
    }

    /// The subnet's layers for table look-up (SPEC-hardware §1.5).
    /// - Throws: `HNASError` when `config` is outside the search space.
    public func layerDescriptors(_ config: BackboneConfig) throws -> [LayerDescriptor] {
        try validate(config)
        return space.layerDescriptors(ks: config["ks"]!, e: config["e"]!, d: config["d"]!)
    }
}

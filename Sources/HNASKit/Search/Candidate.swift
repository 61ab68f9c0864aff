/// A member of a population before evaluation: one backbone config per searched modality, and, with
/// `--evolve-macro`, its inherited fusion macro-architecture (otherwise `nil`: drawn when it is fused).
public struct Candidate: Hashable, Codable, Sendable {
    public var backbones: [BackboneConfig]
    public var macro: FusionMacro?

    public init(backbones: [BackboneConfig], macro: FusionMacro? = nil) {
        self.backbones = backbones
        self.macro = macro
    }
}

import HNASKit

/// Adds this target's plugins to `registry`; the `hnas` executable calls it at start-up.
public func register(into registry: inout Registry) {
    registry.modalities.register("text", summary: "text: CLIP BPE token ids or .npy feature vectors, as a pipeline's options say (memes, mmimdb)") {
        TextModality()
    }
    for backbone in MaxoutBackbone.stock {
        registry.backbones.register(
            backbone.name,
            summary: "Maxout text network, \(backbone.dataset) (\(backbone.inputFeatures) → 128 → 256 → \(backbone.classes), fixed, not searched)"
        ) { backbone }
    }
}

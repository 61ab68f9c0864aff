import HNASKit

/// Adds this target's plugins to `registry`; the `hnas` executable calls it at start-up.
public func register(into registry: inout Registry) {
    registry.modalities.register("text", summary: "text: CLIP BPE token ids (memes) or .npy feature vectors (mmimdb)") {
        TextModality()
    }
}

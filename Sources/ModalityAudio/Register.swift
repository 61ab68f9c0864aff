import HNASKit

/// Adds this target's plugins to `registry`; the `hnas` executable calls it at start-up.
public func register(into registry: inout Registry) {
    registry.modalities.register("audio", summary: "WAV/FLAC/OGG via libsndfile -> MFCC (librosa 0.7.0 semantics); AV-MNIST 1x20x20") {
        try AudioModality()
    }
}

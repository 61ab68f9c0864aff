import HNASKit

/// Adds this target's plugins to `registry`; the `hnas` executable calls it at start-up.
public func register(into registry: inout Registry) {
    registry.modalities.register(
        "image", summary: "JPEG/PNG (libjpeg-turbo, libpng) with the original's per-dataset transforms (avmnist, mmimdb, memes)"
    ) { ImageModality() }
}

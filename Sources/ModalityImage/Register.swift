import HNASKit

/// Adds this target's plugins to `registry`; the `hnas` executable calls it at start-up.
public func register(into registry: inout Registry) {
    registry.modalities.register(
        "image", summary: "JPEG/PNG (libjpeg-turbo, libpng) with the transforms a pipeline's options name (colour, resize, normalisation)"
    ) { ImageModality() }
}

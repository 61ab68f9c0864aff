/// The OFA MobileNetV3 backbones of the three Harmonic-NAS datasets, by registry name.
public enum StockBackbones {
    /// Registry name, modality, dataset and space of every stock OFA backbone.
    public static let all: [(dataset: String, modality: String, backbone: OFABackbone)] = [
        ("avmnist", "image", OFABackbone(name: "ofa-mbv3-avmnist-image", space: .avmnistImage)),
        ("avmnist", "audio", OFABackbone(name: "ofa-mbv3-avmnist-audio", space: .avmnistAudio)),
        ("mmimdb", "image", OFABackbone(name: "ofa-mbv3-mmimdb-image", space: .mmimdbImage)),
        ("memes", "image", OFABackbone(name: "ofa-mbv3-memes-image", space: .memesImage)),
    ]
}

/// Registers the stock OFA MobileNetV3 backbones (`ofa-mbv3-avmnist-image`, `…-avmnist-audio`,
/// `…-mmimdb-image`, `…-memes-image`); the `hnas` executable calls this at start-up.
public func registerStockBackbones(into registry: inout Registry) {
    for entry in StockBackbones.all {
        let backbone = entry.backbone
        let space = backbone.space
        registry.backbones.register(
            backbone.name,
            summary: "OFA MobileNetV3 supernet, \(entry.dataset) \(entry.modality) "
                + "(\(space.inputChannels)×\(space.resolution)×\(space.resolution), \(space.stages.count) stage(s))"
        ) { backbone }
    }
}

import Foundation
import HNASKit

/// AV-MNIST (`--dataset avmnist`): handwritten digit images paired with spoken digits (SPEC-hardware-and-data
/// §3.1), both searched with OFA MobileNetV3 supernets, single-label (10 digits, top-1 accuracy); no
/// validation split of its own, so protocol `sound` carves one from the training split.
public struct AVMNISTPipeline: Pipeline {
    public init() {}

    public let name = AVMNIST.name
    public let summary = "AV-MNIST: digit images + spoken digits, both searched (OFA MobileNetV3), 10 classes"
    public let inputs = [
        // Gray 28 × 28 digits as decoded, ToTensor + Normalize(0.5, 0.5) → [−1, 1].
        PipelineInput(modality: "image", role: .searched, backbone: "ofa-mbv3-avmnist-image", fusionFeatures: 4,
                      options: ["color": "gray", "mean": [0.5], "std": [0.5]]),
        // The audio modality's only preprocessing: 20 × 20 MFCCs, x ↦ 2x − 1.
        PipelineInput(modality: "audio", role: .searched, backbone: "ofa-mbv3-avmnist-audio", fusionFeatures: 4),
    ]
    public let labelKind = LabelKind.singleLabel
    public var classNames: [String] { AVMNIST.classNames }
    public let splits = PipelineSplits()
    public let hardwareKey = "avmnist"
    public let defaultHardware = "tx2"
    public let macroSpace = MacroSpace.avmnist
    public let budget = StockBudget.sample

    public func list(root: URL) -> DatasetListing { AVMNIST.list(root: root) }

    public func dataset(splits: [DatasetSplit], registry: Registry) throws -> Dataset {
        AVMNIST.dataset(splits: splits, image: try datasetInput("image", registry: registry),
                        audio: try datasetInput("audio", registry: registry))
    }
}

import Foundation
import HNASKit

/// Harmful memes, politics (`--dataset memes`): meme images (searched, OFA MobileNetV3, 7 fusion features as
/// the published best models) and their text as CLIP token ids read by the fixed 77 → 3 Maxout network,
/// 3 harmfulness levels (top-1 accuracy); `val.jsonl` is the validation split under protocol `sound`. Priced on
/// the TX2 tables by default (the original's config points at AGX: pass `--hardware agx` for that).
public struct MemesPipeline: Pipeline {
    public init() {}

    public let name = Memes.name
    public let summary = "Harmful memes (politics): images (searched, OFA MobileNetV3) + text (fixed Maxout 77 → 3), 3 classes"
    public let inputs = [
        // RGB, bicubic shorter side 112 + centre crop 112, ToTensor + CLIP's Normalize.
        PipelineInput(modality: "image", role: .searched, backbone: "ofa-mbv3-memes-image", fusionFeatures: 7,
                      options: ["color": "rgb", "resize": "shorter-side-center-crop", "size": 112, "filter": "bicubic",
                                "mean": [0.48145466, 0.4578275, 0.40821073], "std": [0.26862954, 0.26130258, 0.27577711]]),
        // CLIP token ids, context 77, fed as raw values.
        PipelineInput(modality: "text", role: .fixed, backbone: "maxout-memes-text", fusionFeatures: 2,
                      options: ["input": "clip-tokens", "context": 77]),
    ]
    public let labelKind = LabelKind.singleLabel
    public var classNames: [String] { Memes.classNames(extended: false) }
    public let splits = PipelineSplits(validation: "val")
    public let hardwareKey = "memes"
    public let defaultHardware = "tx2"
    public let macroSpace = MacroSpace.memes
    public let budget = StockBudget.sample
    public let batchSize = 64
    public let configNames = ["memes_politics"]

    public func list(root: URL) -> DatasetListing { Memes.list(root: root) }

    public func dataset(splits: [DatasetSplit], registry: Registry) throws -> Dataset {
        Memes.dataset(splits: splits, image: try datasetInput("image", registry: registry),
                      text: try datasetInput("text", registry: registry))
    }
}

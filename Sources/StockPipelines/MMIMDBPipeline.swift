import Foundation
import HNASKit

/// MM-IMDB (`--dataset mmimdb`): movie posters (searched, OFA MobileNetV3) and plot features read by the fixed
/// Maxout text network, multi-label over 23 genres (binary cross-entropy, weighted F1 of `sigmoid > 0.3`);
/// its own `dev` split is the validation split under protocol `sound`.
public struct MMIMDBPipeline: Pipeline {
    public init() {}

    public let name = MMIMDB.name
    public let summary = "MM-IMDB: posters (searched, OFA MobileNetV3) + plot features (fixed Maxout), 23 genres, multi-label"
    public let inputs = [
        PipelineInput(modality: "image", role: .searched, backbone: "ofa-mbv3-mmimdb-image", fusionFeatures: 4, streamed: true),
        PipelineInput(modality: "text", role: .fixed, backbone: "maxout-mmimdb-text", fusionFeatures: 2),
    ]
    public let labelKind = LabelKind.multiLabel
    public var classNames: [String] { MMIMDB.genres }
    public let splits = PipelineSplits(validation: "dev")
    public let hardwareKey = "mmimdb"
    public let defaultHardware = "tx2"
    public let macroSpace = MacroSpace.mmimdb
    public let budget = StockBudget.sample
    public let configNames = ["imdb"]

    public func list(root: URL) -> DatasetListing { MMIMDB.list(root: root) }

    public func dataset(splits: [DatasetSplit], registry: Registry) throws -> Dataset {
        MMIMDB.dataset(splits: splits, image: try registry.modalities.make("image"), text: try registry.modalities.make("text"))
    }
}

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
        // The poster's sample values (the original's .npy arrays: mean-subtracted BGR integers; a JPEG/PNG gives
        // RGB 0…255), torch bilinear (no antialias) to 224 × 224, rounded, not scaled.
        PipelineInput(modality: "image", role: .searched, backbone: "ofa-mbv3-mmimdb-image", fusionFeatures: 4, streamed: true,
                      options: ["color": "rgb", "resize": "tensor-bilinear-rounded", "size": 224]),
        // The plot's precomputed 300-d averaged word2vec feature (text_k.npy), as stored.
        PipelineInput(modality: "text", role: .fixed, backbone: "maxout-mmimdb-text", fusionFeatures: 2,
                      options: ["input": "feature", "width": 300]),
    ]
    public let labelKind = LabelKind.multiLabel
    public var classNames: [String] { MMIMDB.genres }
    public let splits = PipelineSplits(validation: "dev")
    public let hardwareKey = "mmimdb"
    public let defaultHardware = "tx2"
    public let macroSpace = MacroSpace.mmimdb
    public let budget = StockBudget.sample
    public let configNames = ["imdb"]
    public let batchSize = 16

    public func list(root: URL) -> DatasetListing { MMIMDB.list(root: root) }

    public func dataset(splits: [DatasetSplit], registry: Registry) throws -> Dataset {
        MMIMDB.dataset(splits: splits, image: try datasetInput("image", registry: registry),
                       text: try datasetInput("text", registry: registry))
    }
}

extension MMIMDBPipeline: PreparablePipeline {
    /// `hnas data prepare mmimdb`: the published `multimodal_imdb.hdf5` → `<out>/{train,dev,test}/{image,text,label}_<k>.npy`,
    /// ordered and split by `split` (default: the original's `mmimdb_split.json`, bundled).
    /// - Throws: `HNASError` naming the HDF5 or split file and the problem; `out` is untouched on failure.
    public func prepare(source: URL, split: URL?, out: URL, progress: (Int, Int) -> Void) throws {
        guard let splitURL = split ?? MMIMDBConverter.bundledSplit else {
            throw HNASError.argument("--split", why: "the bundled mmimdb_split.json is missing from this build; pass --split")
        }
        let splitData = try FileContents.read(splitURL, "cannot read MM-IMDB split file")
        let converter = MMIMDBConverter(hdf5: source, split: try MMIMDBSplit(json: splitData, path: splitURL.path), splitData: splitData)
        try converter.prepare(out: out, progress: progress)
    }
}

import Foundation

/// A backbone with weights, as a search runs it: the OFA MobileNetV3 supernets (searched: every config
/// of their space is a subnet) and fixed networks such as the Maxout text backbone (one empty config).
///
/// The search orchestration is written against this protocol only: it extracts the subnet of a config
/// with recalibrated BatchNorm, scores it from its logits, caches its fusion features, prices it through
/// `backbone.layerDescriptors`, trains missing weights, and saves the scored subnet to `best/<id>/` so a
/// whole model can be rebuilt from the saved files (`load(from:)` on a network of the same config).
public protocol BackboneNetwork: AnyObject {
    /// The search space (empty for a fixed network) and the hardware description of its subnets.
    var backbone: any Backbone { get }

    /// The static network of `config`, its BatchNorm statistics recalibrated on `calibration` (batches of
    /// training inputs), in evaluation mode: the backbone exactly as it is scored and saved. A fixed network
    /// checks that `config` is its empty config and returns itself (its statistics come with its weights).
    /// - Throws: `HNASError` when `config` is outside the search space.
    func subnet(_ config: BackboneConfig, calibration: CalibrationBatches) throws -> any BackboneNetwork

    /// The logits of a batch in evaluation mode.
    /// - Throws: `HNASError` when `x` does not have the network's input shape.
    func logits(_ x: Tensor) throws -> Tensor

    /// The fusion network's inputs for a batch in evaluation mode: `count` of the network's outputs, chosen
    /// by the network's rule (OFA: SPEC-backbone §4.2; Maxout: its two maxout outputs).
    /// - Throws: `HNASError` for a wrong input shape or a `count` the network cannot give.
    func fusionFeatures(_ x: Tensor, count: Int) throws -> [Tensor]

    /// Writes the weights as safetensors (state-dict names of the original), with `metadata`.
    /// - Throws: `HNASError` naming the file when it cannot be written.
    func save(to url: URL, metadata: [String: String]) throws

    /// Reads weights written by `save` (or the original's converted file): every tensor of the network must
    /// be present with its exact shape; other entries (optimiser state, checkpoints' extras) are ignored.
    /// - Throws: `HNASError` naming the file and listing the missing and mis-shaped tensors.
    func load(from url: URL) throws

    /// Trains the weights in place on `train` (scoring each epoch on `selection`; either may be streamed from disk,
    /// a network that needs its data in memory materialises it with `TensorDataset(materializing:)`), writing a checkpoint to
    /// `options.checkpoint` after every epoch where the network supports one and continuing from it when it
    /// exists; `log` gets one line per epoch.
    /// - Returns: what the training was, as metadata for the weights file (e.g. epochs, training samples).
    /// - Throws: `HNASError` when the data does not fit the network or an epoch fails.
    func train(on train: any LabelledSplit, selection: any LabelledSplit, options: BackboneTrainingOptions,
               log: (String) -> Void) throws -> [String: String]
}

/// How `BackboneNetwork.train` trains: the budget, the seed and where the per-epoch checkpoint goes.
public struct BackboneTrainingOptions: Sendable {
    public var epochs: Int
    public var seed: UInt64
    /// The checkpoint written after every epoch (and resumed from when present); nil for none.
    public var checkpoint: URL?
    /// The dataset pipeline's name, for the weights' metadata and preprocessing choices.
    public var dataset: String
    /// The input modality trained on (`image`, `audio`, `text`), for augmentation choices.
    public var modality: String
    /// The largest training batch the data allows (the pipeline's `batchSize`), nil for the network's own default.
    public var maximumBatchSize: Int?

    public init(epochs: Int, seed: UInt64, checkpoint: URL?, dataset: String, modality: String, maximumBatchSize: Int? = nil) {
        self.epochs = epochs
        self.seed = seed
        self.checkpoint = checkpoint
        self.dataset = dataset
        self.modality = modality
        self.maximumBatchSize = maximumBatchSize
    }
}

extension BackboneNetwork {
    /// Whether the network is fixed (no genes: its only config is the empty one) rather than searched.
    public var isFixed: Bool { backbone.geneOrder.isEmpty }

    /// The layers of `config`'s subnet for hardware cost look-up (empty for a fixed network, whose cost the
    /// original does not count).
    public func layerDescriptors(_ config: BackboneConfig) throws -> [LayerDescriptor] {
        try backbone.layerDescriptors(config)
    }
}

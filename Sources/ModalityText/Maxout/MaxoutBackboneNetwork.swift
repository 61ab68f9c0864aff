import Foundation
import HNASKit

/// The Maxout text network as the search runs it (`BackboneNetwork`): a fixed input of the MM-IMDB and
/// Memes pipelines. Its only config is the empty one, so `subnet` is the network itself (its BatchNorm
/// statistics come with its weights, as in the original); its fusion features are its two maxout outputs.
public final class MaxoutBackboneNetwork: BackboneNetwork {
    public let network: MaxoutNetwork
    private let maxout: MaxoutBackbone

    public init(network: MaxoutNetwork, backbone: MaxoutBackbone) {
        self.network = network
        maxout = backbone
    }

    public var backbone: any Backbone { maxout }

    /// Itself, after checking that `config` is the empty config.
    public func subnet(_ config: BackboneConfig, calibration: CalibrationBatches) throws -> any BackboneNetwork {
        try maxout.validate(config)
        return self
    }

    public func logits(_ x: Tensor) throws -> Tensor {
        network.eval()
        return try Autograd.withoutGrad { try network(x) }
    }

    /// The two maxout outputs (`MaxoutNetwork.fusionFeatureIndices`).
    /// - Throws: `HNASError` when `count` is not their number.
    public func fusionFeatures(_ x: Tensor, count: Int) throws -> [Tensor] {
        guard count == MaxoutNetwork.fusionFeatureIndices.count else {
            throw HNASError.argument("\(maxout.name) fusion features",
                                     why: "the Maxout network gives \(MaxoutNetwork.fusionFeatureIndices.count), not \(count)")
        }
        network.eval()
        return try Autograd.withoutGrad { try network.fusionFeatures(x) }
    }

    public func save(to url: URL, metadata: [String: String]) throws {
        try network.save(to: url, metadata: metadata)
    }

    /// Reads the weights of `hnas train-text` or the original's converted text weights.
    /// - Throws: `HNASError` naming the file and listing the missing and mis-shaped tensors (e.g. Memes
    ///   weights given to MM-IMDB), or saying the weights were trained for another dataset.
    public func load(from url: URL) throws {
        try network.load(stateDict: try maxout.readWeights(url), allowUnexpected: true, source: url.path)
        network.eval()
    }

    /// `hnas train-text`'s recipe (`MaxoutTrainer`): Adam, the dataset's original batch size, BCE (multi-label)
    /// or cross-entropy; no checkpoint (a few seconds per epoch). The text inputs are small: held in memory.
    public func train(on train: any LabelledSplit, selection: any LabelledSplit, options: BackboneTrainingOptions,
                      log: (String) -> Void) throws -> [String: String] {
        var settings = MaxoutTrainer.Options()
        settings.epochs = options.epochs
        settings.batchSize = maxout.trainingBatchSize
        settings.seed = options.seed
        let trainer = try MaxoutTrainer(network: network, train: try TensorDataset(materializing: train),
                                        test: try TensorDataset(materializing: selection), options: settings)
        let metric = selection.multiHot == nil ? "accuracy" : "weighted F1"
        while !trainer.isFinished {
            let record = try trainer.runEpoch()
            log(String(format: "%@ network: epoch %d/%d loss %.4f, %@ %.2f%% (%.1f s)", options.modality, record.epoch, options.epochs,
                       record.loss, metric, record.testScore, record.seconds))
        }
        network.eval()
        return ["dataset": options.dataset, "backbone": maxout.name, "epochs": "\(trainer.epochsDone)",
                "training_samples": "\(train.count)"]
    }
}

extension MaxoutBackbone {
    /// A Maxout network of this shape with fresh weights from `seed`.
    public func makeNetwork(seed: UInt64) throws -> any BackboneNetwork {
        MaxoutBackboneNetwork(network: makeMaxoutNetwork(seed: seed), backbone: self)
    }
}

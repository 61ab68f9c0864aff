import Foundation

/// An OFA MobileNetV3 network as the search runs it (`BackboneNetwork`): the weight-sharing supernet of an
/// `OFABackbone`, or a static subnet extracted from it with recalibrated BatchNorm (what is scored, whose
/// fusion features are cached, and what `best/<id>/<modality>.safetensors` holds).
public final class OFABackboneNetwork: BackboneNetwork {
    /// The supernet, or the extracted static subnet.
    public let network: OFAMobileNetV3
    private let ofaBackbone: OFABackbone

    public init(network: OFAMobileNetV3, backbone: OFABackbone) {
        self.network = network
        ofaBackbone = backbone
    }

    public var backbone: any Backbone { ofaBackbone }

    /// The extracted static subnet of `config` with BatchNorm recalibrated on `calibration`
    /// (SPEC-backbone §5.2, as `SubnetEvaluation.recalibrated`).
    public func subnet(_ config: BackboneConfig, calibration: CalibrationBatches) throws -> any BackboneNetwork {
        try ofaBackbone.validate(config)
        let subnet = try network.extractSubnet(config)
        _ = try calibration.withSequence { try subnet.recalibrateBatchNorm(on: $0) }
        return OFABackboneNetwork(network: subnet, backbone: ofaBackbone)
    }

    public func logits(_ x: Tensor) throws -> Tensor {
        network.eval()
        return try Autograd.withoutGrad { try network(x) }
    }

    public func fusionFeatures(_ x: Tensor, count: Int) throws -> [Tensor] {
        network.eval()
        return try Autograd.withoutGrad { try network.fusionFeatures(x, count: count) }
    }

    public func save(to url: URL, metadata: [String: String]) throws {
        try network.save(to: url, metadata: metadata)
    }

    /// Reads once-for-all-named weights; checkpoint-only entries (optimiser state, teacher) are ignored.
    public func load(from url: URL) throws {
        try network.load(stateDict: try SafeTensors.read(from: url), allowUnexpected: true, source: url.path)
        network.eval()
    }

    /// Supernet training with `hnas train-supernet`'s default schedule (sandwich rule), a checkpoint after every
    /// epoch (`SupernetTraining`); random translation of 2 pixels for images, none for other inputs.
    /// - Returns: the training's metadata for the weights file (classes, epochs, schedule, training samples).
    public func train(on train: any LabelledSplit, selection: any LabelledSplit, options: BackboneTrainingOptions,
                      log: (String) -> Void) throws -> [String: String] {
        guard network.isElastic else {
            throw HNASError.argument("\(ofaBackbone.name)", why: "an extracted subnet cannot be trained as a supernet")
        }
        var settings = SupernetTrainingOptions()
        settings.maxShift = SupernetTraining.defaultMaxShift(modality: options.modality)
        settings.seed = options.seed
        settings.batchSize = SupernetTrainingOptions.defaultBatchSize(loaderBatch: options.maximumBatchSize)
        let checkpoint = options.checkpoint
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("hnas-supernet-\(UUID().uuidString).safetensors")
        let resume = options.checkpoint != nil && FileManager.default.fileExists(atPath: checkpoint.path)
        let training = try SupernetTraining(dataset: options.dataset, modality: options.modality, network: network, train: train,
                                            test: selection, checkpoint: checkpoint, resume: resume, options: settings,
                                            epochs: options.epochs)
        if resume {
            log("supernet \(options.modality): continuing training after epoch \(training.trainer.state.epochsDone) of \(options.epochs) "
                + "from \(checkpoint.path)")
        }
        try training.run { record in
            log(String(format: "supernet %@: epoch %d/%d loss %.4f, max subnet %.2f%%, min subnet %.2f%% (%.1f s)", options.modality,
                       record.epoch, options.epochs, record.loss, record.maxAccuracy, record.minAccuracy, record.seconds))
        }
        if options.checkpoint == nil { try? FileManager.default.removeItem(at: checkpoint) }
        network.eval()
        return training.metadata
    }
}

extension OFABackbone {
    /// A supernet of this space with OFA's initial weights drawn from `seed`.
    public func makeNetwork(seed: UInt64) throws -> any BackboneNetwork {
        OFABackboneNetwork(network: OFAMobileNetV3(space: space, seed: seed), backbone: self)
    }
}

import Foundation
import HNASKit

/// The trained supernets a search needs: `<weights-dir>/<dataset>-<modality>.safetensors`, loaded when
/// present, otherwise trained first with `hnas train-supernet`'s default schedule (sandwich rule) and
/// saved there, so the next run reuses them. Training writes a checkpoint after every epoch; a killed
/// training leaves it next to the weights and the next run continues from it.
///
/// The weights' metadata records what they were trained on (`validation_fraction`, `validation_seed`,
/// `training_samples`), so a `sound` run warns when it would select on samples its supernet saw.
enum SupernetWeights {
    /// `avmnist-image.safetensors`.
    static func fileName(dataset: String, modality: String) -> String { "\(dataset)-\(modality).safetensors" }

    /// Whether `provide` would load finished weights from `directory` (no training, no write).
    static func isTrained(dataset: String, modality: String, directory: URL) -> Bool {
        let manager = FileManager.default
        return manager.fileExists(atPath: directory.appendingPathComponent(fileName(dataset: dataset, modality: modality)).path)
            && !manager.fileExists(atPath: directory.appendingPathComponent(checkpointName(dataset: dataset, modality: modality)).path)
    }

    /// `avmnist-image.checkpoint.safetensors`: the training checkpoint next to the weights.
    static func checkpointName(dataset: String, modality: String) -> String { "\(dataset)-\(modality).checkpoint.safetensors" }

    /// The supernet of `modality`, loaded from `directory` or trained on `train` (scored per epoch on `selection`).
    /// - Parameter validationFraction: the hold-out carved from the training split (`SearchData.load`) under
    ///   `sound`, nil when `train` is the whole training split (`original`).
    /// - Returns: the network and the seconds spent training (0 when loaded).
    /// - Throws: `HNASError` for unreadable weights, a training failure or an unwritable directory.
    static func provide(dataset: String, modality: String, directory: URL, train: TensorDataset, selection: TensorDataset,
                        validationFraction: Double?, epochs: Int, seed: UInt64, log: (String) -> Void) throws -> (OFAMobileNetV3, Double) {
        let url = directory.appendingPathComponent(fileName(dataset: dataset, modality: modality))
        let checkpoint = directory.appendingPathComponent(checkpointName(dataset: dataset, modality: modality))
        let manager = FileManager.default
        let resume = manager.fileExists(atPath: checkpoint.path)
        if !resume, manager.fileExists(atPath: url.path) {
            return (try load(dataset: dataset, modality: modality, from: url, validationFraction: validationFraction,
                             trainingSamples: train.count, log: log, warn: log), 0)
        }
        do {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw HNASError.file(directory.path, "cannot create the weights folder", why: FileContents.reason(error))
        }
        var options = SupernetTrainingOptions()
        options.maxShift = SupernetTraining.defaultMaxShift(modality: modality)
        options.seed = seed
        let training = try SupernetTraining(dataset: dataset, modality: modality,
                                            space: try StockSupernet.space(dataset: dataset, modality: modality), seed: seed,
                                            train: train, test: selection, checkpoint: checkpoint, resume: resume, options: options,
                                            epochs: epochs)
        if resume {
            log("supernet \(modality): continuing training after epoch \(training.trainer.state.epochsDone) of \(epochs) from \(checkpoint.path)")
        } else {
            log("supernet \(modality): no weights at \(url.path); training them first (sandwich rule, \(epochs) epochs, "
                + "\(train.count) samples; saved for the next run)")
        }
        let clock = Date()
        try training.run { record in
            log(String(format: "supernet %@: epoch %d/%d loss %.4f, max subnet %.2f%%, min subnet %.2f%% (%.1f s)", modality,
                       record.epoch, epochs, record.loss, record.maxAccuracy, record.minAccuracy, record.seconds))
        }
        try training.save(to: url, extra: ["validation_fraction": validationFraction.map { "\($0)" } ?? "none",
                                           "validation_seed": "\(SearchData.validationSeed)"])
        try? manager.removeItem(at: checkpoint)
        return (training.network, Date().timeIntervalSince(clock))
    }

    /// The supernet of `modality` read from `url`, logging the load and passing `warn` the leakage warning
    /// (`leakageWarning`) when `validationFraction` is set (`sound`) and the weights may have seen its samples.
    /// - Throws: `HNASError` for unreadable weights.
    static func load(dataset: String, modality: String, from url: URL, validationFraction: Double?, trainingSamples: Int,
                     log: (String) -> Void, warn: (String) -> Void) throws -> OFAMobileNetV3 {
        log("supernet \(modality): loading \(url.path)")
        if let validationFraction,
           let warning = try leakageWarning(url, validationFraction: validationFraction, trainingSamples: trainingSamples) {
            warn(warning)
        }
        return try StockSupernet.load(dataset: dataset, modality: modality, weights: url)
    }

    /// A warning when the weights at `url` may have been trained on the validation split a `sound` run carves
    /// (`validationFraction` of the training split, leaving `trainingSamples`): their metadata does not record
    /// exactly that training part (weights of an `original` run or of `hnas train-supernet`, which train on the
    /// whole training split). Selecting on samples the supernet saw favours memorised subnets.
    /// - Returns: nil when the weights were trained on this training part only.
    /// - Throws: `HNASError` when the file cannot be read.
    static func leakageWarning(_ url: URL, validationFraction: Double, trainingSamples: Int) throws -> String? {
        let metadata = try SafeTensors.read(from: url).metadata
        let expected = ["validation_fraction": "\(validationFraction)", "validation_seed": "\(SearchData.validationSeed)",
                        "training_samples": "\(trainingSamples)"]
        if expected.allSatisfy({ metadata[$0.key] == $0.value }) { return nil }
        let trainedOn: String
        switch metadata["validation_fraction"] {
        case nil: trainedOn = "with no hold-out recorded (e.g. by `hnas train-supernet`, on the whole training split)"
        case "none": trainedOn = "on the whole training split (--protocol original)"
        case let fraction?: trainedOn = "on another training part (validation fraction \(fraction), "
            + "\(metadata["training_samples"] ?? "?") samples; this run: \(validationFraction), \(trainingSamples))"
        }
        return "warning: \(url.path) was trained \(trainedOn), so it may have seen this run's validation samples and "
            + "selection on them is biased; for a clean --protocol sound run use a --weights-dir without it (hnas trains the "
            + "supernet there on the training part only)"
    }
}

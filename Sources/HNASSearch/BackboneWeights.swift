import Foundation
import HNASKit

/// The trained backbone networks a search needs, one per pipeline input: `<weights-dir>/<dataset>-<modality>.safetensors`
/// (or a file given for the input, e.g. `--text-weights`), loaded when present, otherwise trained first by the
/// network itself (`BackboneNetwork.train`: supernets with `hnas train-supernet`'s default schedule, the Maxout
/// text network with `hnas train-text`'s recipe) and saved there, so the next run reuses them. Supernet training
/// writes a checkpoint after every epoch; a killed training leaves it next to the weights and the next run
/// continues from it.
///
/// The weights' metadata records what they were trained on (`validation_fraction`, `validation_seed`,
/// `training_samples`), so a `sound` run that carves its validation split from the training split warns when
/// it would select on samples its network saw.
public enum BackboneWeights {
    /// `avmnist-image.safetensors`.
    public static func fileName(dataset: String, modality: String) -> String { "\(dataset)-\(modality).safetensors" }

    /// Whether `provide` would only load weights (from `file`, or finished weights in `directory`), training and
    /// writing nothing.
    public static func isTrained(dataset: String, modality: String, directory: URL, file: URL?) -> Bool {
        file != nil || FileManager.default.fileExists(atPath: directory.appendingPathComponent(fileName(dataset: dataset, modality: modality)).path)
    }

    /// Gives `network` (fresh weights of the backbone of input `input` of `data`) its trained weights: from `file`
    /// when given, else from `directory`, else trained on the training part of `data` (scored per epoch on its
    /// selection split) and saved in `directory`.
    /// - Returns: the seconds spent training (0 when loaded).
    /// - Throws: `HNASError` for unreadable or mis-shaped weights (naming the file and the tensors), a training
    ///   failure or an unwritable directory.
    public static func provide(_ network: any BackboneNetwork, dataset: String, input: Int, data: SearchData, directory: URL,
                               file: URL?, epochs: Int, seed: UInt64, maximumBatchSize: Int? = nil,
                               log: (String) -> Void, warn: (String) -> Void) throws -> Double {
        let modality = data.inputs[input]
        let role = network.isFixed ? "\(modality) network" : "supernet \(modality)"
        if let file {
            try load(network, from: file, input: input, data: data, log: log, warn: warn)
            return 0
        }
        let url = directory.appendingPathComponent(fileName(dataset: dataset, modality: modality))
        let checkpoint = directory.appendingPathComponent("\(dataset)-\(modality).checkpoint.safetensors")
        let manager = FileManager.default
        let train = data.train[input]
        // Finished weights win over a checkpoint: a training that ended saved them (the checkpoint may be one
        // `hnas train-supernet --out <dataset>-<modality>.safetensors` left next to them); a killed one did not.
        if manager.fileExists(atPath: url.path) {
            try load(network, from: url, input: input, data: data, log: log, warn: warn)
            return 0
        }
        do {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw HNASError.file(directory.path, "cannot create the weights folder", why: FileContents.reason(error))
        }
        if !manager.fileExists(atPath: checkpoint.path) {
            log("\(role): no weights at \(url.path); training them first (\(epochs) epochs, \(train.count) samples; saved for the next run)")
        }
        let clock = Date()
        let options = BackboneTrainingOptions(epochs: epochs, seed: seed, checkpoint: checkpoint, dataset: dataset, modality: modality,
                                              maximumBatchSize: maximumBatchSize)
        // Streamed inputs stay streamed: supernet training decodes batch by batch (MM-IMDB's posters).
        let metadata = try network.train(on: train, selection: data.selection[input], options: options, log: log)
        try network.save(to: url, metadata: metadata.merging(data.trainingPartMetadata) { $1 })
        try? manager.removeItem(at: checkpoint)
        return Date().timeIntervalSince(clock)
    }

    /// Loads `url` into `network` (the backbone of input `input` of `data`), logging the load and passing `warn`
    /// the leakage warning (`leakageWarning`) when `data`'s validation split was carved from its training split
    /// and the weights may have seen its samples.
    /// - Throws: `HNASError` for unreadable or mis-shaped weights.
    public static func load(_ network: any BackboneNetwork, from url: URL, input: Int, data: SearchData,
                            log: (String) -> Void, warn: (String) -> Void) throws {
        log("\(network.isFixed ? "\(data.inputs[input]) network" : "supernet \(data.inputs[input])"): loading \(url.path)")
        if data.isCarved, let fraction = data.validationFraction,
           let warning = try leakageWarning(url, validationFraction: fraction, trainingSamples: data.train[input].count) {
            warn(warning)
        }
        try network.load(from: url)
    }

    /// A warning when the weights at `url` may have been trained on the validation split a `sound` run carves
    /// (`validationFraction` of the training split, leaving `trainingSamples`): their metadata does not record
    /// exactly that training part (weights of an `original` run or of `hnas train-supernet`, which train on the
    /// whole training split). Selecting on samples the supernet saw favours memorised subnets.
    /// - Returns: nil when the weights were trained on this training part only.
    /// - Throws: `HNASError` when the file cannot be read.
    public static func leakageWarning(_ url: URL, validationFraction: Double, trainingSamples: Int) throws -> String? {
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

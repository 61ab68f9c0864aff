import ArgumentParser
import Foundation
import HNASKit

/// The arguments `hnas eval-subnet` and `hnas infer` share: which supernet, its weights, and the
/// architecture file whose `backbones.<modality>` entry is the subnet.
struct SupernetArguments: ParsableArguments {
    @Option(help: "Dataset of the supernet: avmnist, mmimdb or memes.")
    var dataset: String

    @Option(help: "Modality of the backbone: image or audio (AV-MNIST), image (MM-IMDB, Memes).")
    var modality: String

    @Option(help: "Supernet weights (safetensors with once-for-all names, e.g. from `hnas train-supernet`).")
    var weights: String

    @Option(help: "Architecture JSON holding the subnet under backbones.<modality>.")
    var arch: String

    @Option(help: "Classifier size (default: read from the weights file).")
    var classes: Int?

    @OptionGroup var threading: ThreadsOption

    /// The supernet with its weights and the subnet config taken from the architecture file.
    func load() throws -> (supernet: OFAMobileNetV3, config: BackboneConfig) {
        try threading.apply()
        return try Self.load(dataset: dataset, modality: modality, weights: weights, arch: arch, classes: classes)
    }

    /// The stock supernet of `dataset`/`modality` with the weights at `weights`, the subnet of the
    /// architecture file `arch` (its `backbones.<modality>` entry) active.
    /// - Throws: `HNASError` naming the file that is unreadable or has no subnet for `modality`.
    static func load(dataset: String, modality: String, weights: String, arch: String,
                     classes: Int? = nil) throws -> (supernet: OFAMobileNetV3, config: BackboneConfig) {
        let architecture = try Architecture.load(path: arch)
        guard let config = architecture.backbones[modality] else {
            throw HNASError.file(arch, "no subnet for modality '\(modality)' in",
                                 why: "backbones has \(architecture.backbones.keys.sorted().joined(separator: ", "))")
        }
        let supernet = try StockSupernet.load(dataset: dataset, modality: modality, classes: classes, weights: URL(fileURLWithPath: weights))
        try supernet.activate(config)
        return (supernet, config)
    }
}

import ArgumentParser
import Foundation
import HNASKit

/// `hnas infer`: evaluation-mode forward of a subnet on a batch stored as NPY.
struct InferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Run a subnet of a supernet on an NPY batch; write its logits (and fusion features) as NPY.",
        discussion: """
            The input is N×C×H×W float32 (or one C×H×W sample). The subnet is extracted from the supernet with the BN statistics stored in the weights file (run `hnas eval-subnet` for the recalibrated accuracy). With --features DIR, the outputs the fusion network consumes (4 for AV-MNIST and MM-IMDB, 7 for Memes) are written as DIR/feature_<k>.npy.

            Example:
              hnas infer --dataset avmnist --modality image --weights w.safetensors --arch a.json --input x.npy --output y.npy
            """
    )

    @OptionGroup var supernet: SupernetArguments

    @Option(help: "Input batch (.npy).")
    var input: String

    @Option(help: "Where to write the logits (.npy, N×classes).")
    var output: String

    @Option(help: "Folder for the fusion features (feature_0.npy, …).")
    var features: String?

    @Option(help: "Number of fusion features (default: the dataset's).")
    var featureCount: Int?

    func run() throws {
        let (network, config) = try supernet.load()
        let subnet = try network.extractSubnet(config)
        subnet.eval()
        var x = try NPYFile(contentsOf: URL(fileURLWithPath: input)).tensor()
        if x.rank == 3 { x = try x.reshaped([1] + x.shape) }
        let outputs = try Autograd.withoutGrad { try subnet.outputs(x) }
        try Self.write(outputs.last!, to: URL(fileURLWithPath: output))
        print("\(output): logits \(outputs.last!.shape)")
        guard let features else { return }
        let pipeline = try makeRegistry().pipelines.make(supernet.dataset)
        guard let count = featureCount ?? pipeline.inputs.first(where: { $0.modality == supernet.modality })?.fusionFeatures else {
            throw HNASError.argument("--modality", why: "the \(pipeline.name) pipeline has no input '\(supernet.modality)'")
        }
        let folder = URL(fileURLWithPath: features)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let chosen = try OFAMobileNetV3.fusionFeatureIndices(outputCount: outputs.count, count: count)
        for (k, index) in chosen.enumerated() {
            try Self.write(outputs[index], to: folder.appendingPathComponent("feature_\(k).npy"))
            print("\(features)/feature_\(k).npy: output \(index) of \(outputs.count), \(outputs[index].shape)")
        }
    }

    static func write(_ t: Tensor, to url: URL) throws {
        try NPYFile(shape: t.shape, elements: .float32(t.scalars)).write(to: url)
    }
}

import ArgumentParser
import Foundation
import HNASKit
import HNASSearch

/// `hnas best`: the original's `best_mm_model_<dataset>.py` — rebuild, retrain and measure one architecture,
/// and write it as a complete model directory.
struct BestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "best",
        abstract: "Retrain an architecture file's model (fusion micro-search or its genotype), test it, write a model directory.",
        discussion: """
            The backbones (backbones.<modality>) and the fusion macro-architecture (fusion.steps, fusion.node_steps) come from --arch. The fusion micro-architecture is searched again on the frozen backbones' features (--fusion, default darts), or with --genotype-only the file's fusion.genotype is used; the fusion network is then retrained and the whole model measured on the test split. Prints the test metric (top-1 accuracy, or weighted F1 for MM-IMDB), each backbone's own test metric, and the total latency and energy (backbones + fusion operators) on --hardware.

            The model directory (--out) holds everything `hnas predict` needs: model.json, arch.json with the genotype, each backbone's weights (the subnets with recalibrated BatchNorm, the fixed text network), fusion.safetensors and fusion.dot. Supernet and text weights come from --weights-dir (trained there first when missing, as `hnas search` does).

            Example:
              hnas best --dataset avmnist --arch runs/avmnist/best/evo_1_0/arch.json --weights-dir runs/avmnist/weights --out best-avmnist
              hnas predict --model best-avmnist --input image=x.png --input audio=x.wav
            """
    )

    @Option(help: ArgumentHelp("Dataset pipeline: \(makeRegistry().pipelines.names.joined(separator: ", ")).")) var dataset: String
    @Option(help: "Architecture JSON (backbones, fusion.steps, fusion.node_steps, optionally fusion.genotype).") var arch: String
    @Option(help: "Dataset folder.") var data = "Data/avmnist-sample"
    @Option(help: "Model directory to write (must not exist; default best-<dataset>).") var out: String?
    @Option(help: "Folder of the supernet (and text) weights, trained there when missing.") var weightsDir = "weights"
    @Option(help: "Weights of the fixed text network (MM-IMDB, Memes).") var textWeights: String?
    @Flag(help: "Train the file's fusion genotype instead of searching one.") var genotypeOnly = false
    @Option(help: "Fusion search: darts or random.") var fusion = "darts"
    @Option(help: "Device of the latency/energy tables: tx2, agx or host (default: the pipeline's).") var hardware: String?
    @Option(name: .customLong("protocol"), help: "sound (select on a validation split) or original (select on test).")
    var fusionProtocol: FusionProtocol = .sound
    @Option(help: "Fusion search and retraining epochs (default: the pipeline's).") var fusionEpochs: Int?
    @Option(help: "Supernet training epochs when the weights are missing.") var supernetEpochs: Int?
    @Option(help: "Text network training epochs when its weights are missing.") var fixedEpochs: Int?
    @Option(help: "Fusion network channels C (default 192).") var channels: Int?
    @Option(help: "Fusion network length L, a perfect square (default 16).") var length: Int?
    @Option(help: "Seed of the fusion search and retraining.") var seed: UInt64 = 42
    @Flag(help: "Print the report as JSON.") var json = false
    @OptionGroup var threading: ThreadsOption

    func run() throws {
        try threading.apply()
        for (value, range, flag) in [(fusionEpochs, ArgumentRange.fusionEpochs, "--fusion-epochs"), (channels, ArgumentRange.channels, "--channels"),
                                     (length, ArgumentRange.length, "--length"), (supernetEpochs, ArgumentRange.epochs, "--supernet-epochs"),
                                     (fixedEpochs, ArgumentRange.epochs, "--fixed-epochs")] {
            if let value { try ArgumentRange.check(value, range, flag) }
        }
        let registry = makeRegistry()
        let pipeline = try registry.pipelines.make(dataset)
        let architecture = try Architecture.load(path: arch)
        var config = SearchRunConfig(pipeline: pipeline, data: data, weightsDir: weightsDir)
        config.fusion = fusion
        _ = try registry.fusionSearches.make(fusion)
        config.hardware = hardware ?? pipeline.defaultHardware
        config.fusionOptions.fusionProtocol = fusionProtocol
        if let fusionEpochs { (config.fusionOptions.epochs, config.fusionOptions.retrainEpochs) = (fusionEpochs, fusionEpochs) }
        if let channels { config.fusionOptions.channels = channels }
        if let length { config.fusionOptions.length = length }
        if let supernetEpochs { config.supernetEpochs = supernetEpochs }
        if let fixedEpochs { config.fixedEpochs = fixedEpochs }
        if let textWeights { config.fixedWeights = ["text": URL(fileURLWithPath: textWeights).path] }
        config.seed = seed
        do { try config.fusionOptions.validate() } catch let error as HNASError {
            throw HNASError.argument("--\(error.subjectName)", why: error.why)  // L not a perfect square
        }
        let logFolder = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-best-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: logFolder) }
        let runner = SearchRunner(config: config, directory: SearchRunDirectory(root: logFolder), registry: registry)
        let outURL = URL(fileURLWithPath: out ?? "best-\(dataset)")
        let report = try runner.best(architecture, genotypeOnly: genotypeOnly, out: outURL)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        print("\(report.dataset): \(report.metricName) \(String(format: "%.2f", report.metric)) % on the test split")
        for (input, metric) in report.backboneMetrics.sorted(by: { $0.key < $1.key }) {
            print("  \(input) backbone alone: \(String(format: "%.2f", metric)) %")
        }
        print("genotype\(report.genotypeGiven ? " (given)" : ""): \(report.genotype)")
        print(String(format: "latency %.3f ms, energy %@ on %@", report.cost.latencyMs,
                     report.cost.energyMJ.map { String(format: "%.3f mJ", $0) } ?? "n/a", report.device))
        for note in report.notes { print("note: \(note)") }
        print("wrote \(outURL.path)")
    }
}

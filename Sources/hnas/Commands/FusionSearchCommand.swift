import ArgumentParser
import Foundation
import HNASKit
import SearchDARTS

/// `hnas fusion-search`: the inner fusion search alone, on cached features or the synthetic task.
struct FusionSearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fusion-search",
        abstract: "Search a fusion network (DARTS or random) on cached backbone features.",
        discussion: """
            Feature sources (one of):
              --synthetic       the synthetic two-modality XOR task (label = bit of A XOR bit of B;
                                each modality alone is at chance, 50 %)
              --features DIR    cached features: DIR/train.safetensors, DIR/test.safetensors and
                                optionally DIR/val.safetensors, each with F32 node_0, node_1, … and
                                labels (I64 classes or F32 multi-hot)
              --dataset …       features computed from trained supernets (needs the supernet and
                                dataset modules; not in this build yet)
            The result (genotype, metric in percent, fusion cost) is printed and, with --out, saved as JSON.

            Example:
              hnas fusion-search --synthetic --steps 1 --node-steps 1 --epochs 10 --retrain-epochs 10 --channels 16 --length 4
            """
    )

    @Flag(help: "Run on the synthetic two-modality XOR task.")
    var synthetic = false
    @Option(help: "Synthetic task: input nodes per modality (one informative).") var syntheticNodes = 2
    @Option(help: "Synthetic task: training and test samples, as TRAIN,TEST.") var syntheticSamples = "512,256"
    @Option(help: "Folder of cached features (train/test[/val].safetensors).")
    var features: String?
    @Option(help: "Dataset (avmnist, mmimdb, memes) whose features the supernets compute.")
    var dataset: String?
    @Option(help: "Image backbone architecture JSON (with --dataset).")
    var imageArch: String?
    @Option(help: "Audio backbone architecture JSON (with --dataset).")
    var audioArch: String?
    @Option(help: "Folder of trained supernet weights (with --dataset).")
    var weightsDir: String?

    @OptionGroup var flags: FusionSearchFlags
    @Option(help: "Random seed.") var seed: UInt64 = 42
    @Option(help: "Fusion search plugin: darts or random.") var fusion = "darts"
    @Option(help: "Hardware model pricing the fusion operators (tx2, agx) or 'none'.") var hardware = "tx2"
    @Option(help: "Write the result as JSON here.") var out: String?
    @Option(help: "Draw the genotype here (.dot, or .svg/.pdf/.png through Graphviz).") var plot: String?
    @Flag(help: "No per-epoch progress on stderr.") var quiet = false

    func run() throws {
        let registry = makeRegistry()
        let search = try registry.fusionSearches.make(fusion)
        let model = hardware == "none" ? nil : try registry.hardwareModels.make(hardware)
        let problem = try loadProblem()
        let options = try flags.options(seed: seed)
        let progress: ((String) -> Void)? = quiet ? nil : { FileHandle.standardError.write(Data("\($0)\n".utf8)) }
        let result = try search.search(problem, options: options, hardware: model, progress: progress)
        print("fusion \(fusion), protocol \(options.fusionProtocol.rawValue), S=\(flags.steps) T=\(flags.nodeSteps), \(problem.inputNodes) input nodes")
        print("genotype: \(result.genotype.pythonRepr)")
        print(String(format: "metric: %.2f %% (selection %.2f %%)", result.metric, result.selectionMetric))
        if let cost = result.cost?.total {
            print(String(format: "fusion cost (%@): %.6f ms, %@ mJ", hardware, cost.latencyMs, cost.energyMJ.map { String(format: "%.6f", $0) } ?? "n/a"))
        }
        for note in result.notes { print("note: \(note)") }
        if let out {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            do { try encoder.encode(result).write(to: URL(fileURLWithPath: out), options: .atomic) } catch {
                throw HNASError.file(out, "cannot write result", why: error.localizedDescription)
            }
            print("wrote \(out)")
        }
        if let plot {
            let dot = try GenotypeDOT(genotype: result.genotype, groups: GenotypeDOT.groups(names: problem.inputNames))
            switch try GraphvizRenderer.write(dot.source, to: plot) {
            case .rendered(let path), .sourceOnly(let path, false): print("wrote \(path)")
            case .sourceOnly(let path, true): print("Graphviz 'dot' is not installed: wrote the DOT source to \(path)")
            }
        }
    }

    func loadProblem() throws -> FusionProblem {
        let sources = [synthetic, features != nil, dataset != nil].filter { $0 }.count
        guard sources == 1 else {
            throw HNASError.argument("--synthetic/--features/--dataset", why: "give exactly one feature source")
        }
        if synthetic {
            var task = SyntheticFusionTask()
            let counts = syntheticSamples.split(separator: ",").compactMap { Int($0) }
            guard counts.count == 2, counts.allSatisfy({ $0 >= 4 }), syntheticNodes >= 1 else {
                throw HNASError.argument("--synthetic-samples/--synthetic-nodes", why: "need TRAIN,TEST counts of at least 4 and at least one node per modality")
            }
            task.samples = (counts[0], counts[1])
            task.nodesPerModality = syntheticNodes
            return try task.problem(steps: flags.steps, nodeSteps: flags.nodeSteps)
        }
        if let features {
            let val = "\(features)/val.safetensors"
            return try FusionProblem(train: FusionFeatureFile.load(path: "\(features)/train.safetensors"),
                                     validation: FileManager.default.fileExists(atPath: val) ? FusionFeatureFile.load(path: val) : nil,
                                     test: FusionFeatureFile.load(path: "\(features)/test.safetensors"),
                                     steps: flags.steps, nodeSteps: flags.nodeSteps)
        }
        let given = [("--image-arch", imageArch), ("--audio-arch", audioArch), ("--weights-dir", weightsDir)]
            .map { "\($0.0) \($0.1 ?? "(missing)")" }.joined(separator: ", ")
        throw HNASError.argument("--dataset", why: "(\(given)) computing features from trained supernets needs the supernet forward and dataset pipelines, which this build does not have yet; cache features with them and pass --features DIR, or use --synthetic")
    }
}

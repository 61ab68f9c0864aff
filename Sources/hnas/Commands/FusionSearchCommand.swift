import ArgumentParser
import Foundation
import HNASKit
import HNASSearch
import SearchDARTS

/// `hnas fusion-search`: the inner fusion search alone, on cached features or the synthetic task.
struct FusionSearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fusion-search",
        abstract: "Search a fusion network (DARTS or random) on cached backbone features.",
        discussion: """
            Feature sources (one of):
              --synthetic      the synthetic two-modality XOR task (label = bit of A
                               XOR bit of B; each modality alone is at chance, 50 %)
              --features DIR   cached features: DIR/train.safetensors,
                               DIR/test.safetensors and optionally DIR/val.safetensors,
                               each with F32 node_0, node_1, … and labels (I64
                               classes or F32 multi-hot)
              --dataset avmnist
                               features of two subnets of trained supernets on the
                               dataset in --data. --image-arch / --audio-arch name
                               the subnets: an architecture JSON (its
                               backbones.image / backbones.audio), or max / min.
                               --weights-dir holds avmnist-image.safetensors and
                               avmnist-audio.safetensors, made by `hnas train-supernet
                               --out DIR/avmnist-image.safetensors` (audio likewise)
                               or by a `hnas search` run (runs/avmnist/weights); they
                               are never trained here. Each subnet is extracted,
                               BN-recalibrated and scored alone, then their fusion
                               features are fused, as `hnas search` does for one
                               candidate. Protocol sound carves the validation split
                               `hnas search` carves (its weights never saw it;
                               train-supernet's saw the whole training split).

            Prints the genotype, the metric in percent and the fusion cost; with
            --dataset also each subnet's accuracy alone beside the multimodal one,
            and the time. --out saves the result as JSON.

            Examples:
              hnas fusion-search --synthetic --steps 1 --node-steps 1 --epochs 10 \\
                --retrain-epochs 10 --channels 16 --length 4
              hnas fusion-search --dataset avmnist --data Data/avmnist-sample \\
                --image-arch max --audio-arch max --weights-dir runs/avmnist/weights \\
                --epochs 4 --retrain-epochs 4
            """
    )

    @Flag(help: "Run on the synthetic two-modality XOR task.")
    var synthetic = false
    @Option(help: "Synthetic task: input nodes per modality (one informative).") var syntheticNodes = 2
    @Option(help: "Synthetic task: training and test samples, as TRAIN,TEST.") var syntheticSamples = "512,256"
    @Option(help: "Folder of cached features (train/test[/val].safetensors).")
    var features: String?
    @Option(help: "Dataset pipeline whose trained backbones compute the features (avmnist, mmimdb, memes; the fixed text network's weights are read from --weights-dir too).")
    var dataset: String?
    @Option(help: "Dataset folder (with --dataset).")
    var data = "Data/avmnist-sample"
    @Option(help: "Image subnet: architecture JSON (backbones.image), max or min (with --dataset).")
    var imageArch: String?
    @Option(help: "Audio subnet: architecture JSON (backbones.audio), max or min (with --dataset).")
    var audioArch: String?
    @Option(help: "Folder of <dataset>-<modality>.safetensors supernet weights (with --dataset).")
    var weightsDir: String?

    @OptionGroup var flags: FusionSearchFlags
    @Option(help: "Random seed.") var seed: UInt64 = 42
    @Option(help: "Fusion search plugin: darts or random.") var fusion = "darts"
    @Option(help: "Hardware model pricing the fusion operators (tx2, agx) or 'none'.") var hardware = "tx2"
    @Option(help: "Write the result as JSON here.") var out: String?
    @Option(help: "Draw the genotype here (.dot, or .svg/.pdf/.png through Graphviz).") var plot: String?
    @Flag(help: "No per-epoch progress on stderr.") var quiet = false
    @OptionGroup var threads: ThreadsOption

    func run() throws {
        try threads.apply()
        let started = Date()
        let registry = makeRegistry()
        let search = try registry.fusionSearches.make(fusion)
        let model = hardware == "none" ? nil : try registry.hardwareModel(hardware, pricingFusionOf: search)
        let options = try flags.options(seed: seed)
        let progress: ((String) -> Void)? = quiet ? nil : { FileHandle.standardError.write(Data("\($0)\n".utf8)) }
        let setup = try dataset.map { try datasetSetup($0, options: options, hardware: model, search: search, registry: registry, log: progress) }
        let problem = try setup.map { try $0.evaluator.fusionProblem($0.configs, macro: FusionMacro(cells: flags.steps, nodes: flags.nodeSteps)) }
            ?? loadProblem()
        let clock = Date()
        let result = try search.search(problem, options: options, hardware: model, progress: progress)
        let fusionSeconds = Date().timeIntervalSince(clock)
        print("fusion \(fusion), protocol \(options.fusionProtocol.rawValue), S=\(flags.steps) T=\(flags.nodeSteps), \(problem.inputNodes) input nodes")
        print("genotype: \(result.genotypeText)")
        print(String(format: "metric: %.2f %% (selection %.2f %%)", result.metric, result.selectionMetric))
        if let cost = result.cost?.total {
            print(String(format: "fusion cost (%@): %.6f ms, %@ mJ", hardware, cost.latencyMs, cost.energyMJ.map { String(format: "%.6f", $0) } ?? "n/a"))
        }
        for note in result.notes { print("note: \(note)") }
        if let setup {
            try printUnimodal(setup, multimodal: result.metric, protocol: options.fusionProtocol)
            let timings = setup.evaluator.timings
            print(String(format: "time: %.1f s in all (unimodal scoring %.1f s, fusion features %.1f s, fusion search %.1f s), %d thread(s)",
                         Date().timeIntervalSince(started), timings.unimodal, timings.features, fusionSeconds, Parallel.threads))
        }
        if let out {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try AtomicFile.write(try encoder.encode(result), to: URL(fileURLWithPath: out), "cannot write result", path: out)
            print("wrote \(out)")
        }
        if let plot {
            let dot = try GenotypeDOT(genotype: result.genotype, groups: GenotypeDOT.groups(names: problem.inputNames))
            print(try GraphvizRenderer.write(dot.source, to: plot).message)
        }
    }

    static let oneSource = HNASError.argument("--synthetic/--features/--dataset", why: "give exactly one feature source")

    /// The problem of `--synthetic` or `--features` (`--dataset` goes through `datasetSetup`).
    func loadProblem() throws -> FusionProblem {
        guard synthetic != (features != nil) else { throw Self.oneSource }
        if synthetic {
            var task = SyntheticFusionTask()
            let counts = syntheticSamples.split(separator: ",").compactMap { Int($0) }
            guard counts.count == 2, counts.allSatisfy({ (4...1_000_000).contains($0) }) else {
                throw HNASError.argument("--synthetic-samples", why: "'\(syntheticSamples)' is not TRAIN,TEST with counts between 4 and 1000000")
            }
            try ArgumentRange.check(syntheticNodes, ArgumentRange.syntheticNodes, "--synthetic-nodes")
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
        throw Self.oneSource
    }

    /// The supernets, subnets and splits of `--dataset`, after checking the flags that only it uses.
    func datasetSetup(_ dataset: String, options: FusionSearchOptions, hardware: (any HardwareModel)?, search: any FusionSearch,
                      registry: Registry, log: ((String) -> Void)?) throws -> DatasetFusionSetup {
        guard !synthetic, features == nil else { throw Self.oneSource }
        guard let hardware else {
            throw HNASError.argument("--hardware", why: "--dataset scores the subnets on a device: use tx2 or agx, not none")
        }
        try SupernetSearchEvaluator.requireFusionOperators(hardware)
        guard let weightsDir else { throw HNASError.argument("--weights-dir", why: "required with --dataset") }
        let sources = [("image", imageArch), ("audio", audioArch)].compactMap { modality, spec in
            spec.map { DatasetFusionSetup.Source(modality: modality, spec: $0, flag: "--\(modality)-arch") }
        }
        return try DatasetFusionSetup.load(
            pipeline: try registry.pipelines.make(dataset), dataRoot: data,
            sources: sources,
            weightsDir: weightsDir, fusion: options, hardware: hardware, fusionSearch: search, registry: registry, log: log ?? { _ in })
    }

    /// Each subnet's accuracy alone (test split, and the selection split under `sound`) and cost, then how the
    /// multimodal test metric compares with the better of them.
    func printUnimodal(_ setup: DatasetFusionSetup, multimodal: Double, protocol chosen: FusionProtocol) throws {
        var best: (modality: String, accuracy: Double)?
        for (m, modality) in setup.modalities.enumerated() {
            let config = setup.configs[m]
            let scored = try setup.evaluator.evaluateBackbone(config, modality: m, seed: seed)
            let test = try setup.evaluator.testAccuracy(config, modality: m)
            let selection = chosen == .sound ? String(format: " (validation %.2f %%)", scored.accuracy) : ""
            print(String(format: "%@ subnet %@: %.2f %% test%@, latency %.3f ms, energy %@", modality, config.description, test, selection,
                         scored.cost.latencyMs, scored.cost.energyMJ.map { String(format: "%.3f mJ", $0) } ?? "n/a"))
            if test > best?.accuracy ?? -1 { best = (modality, test) }
        }
        if let best {
            print(String(format: "multimodal %.2f %% vs better unimodal (%@) %.2f %%: %+.2f points", multimodal, best.modality,
                         best.accuracy, multimodal - best.accuracy))
        }
    }
}

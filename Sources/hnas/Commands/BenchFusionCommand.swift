import ArgumentParser
import Foundation
import HNASKit
import SearchDARTS

/// `hnas bench fusion`: DARTS against random fusion search on the synthetic XOR task, averaged over
/// seeds, with the unimodal probes (one modality's features zeroed) that bound what either modality
/// alone can reach.
struct BenchFusionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fusion",
        abstract: "Compare darts and random fusion search on the synthetic two-modality task over seeds.",
        discussion: """
            For every seed: darts (search + retraining of the derived network) and random (a random
            genotype, the same retraining), both in the given protocol, plus darts with modality A's
            or B's features zeroed (the unimodal ceilings). Prints test accuracy per run, the mean
            and standard deviation, in how many runs one cell takes exactly the two informative input nodes, and run times.

            Example:
              hnas bench fusion --seeds 1,2,3,4,5 --steps 1 --epochs 10 --retrain-epochs 10 --channels 16 --length 4 --batch-size 32 --lr 3e-3 --arch-lr 3e-2
            """
    )

    @OptionGroup var flags: FusionSearchFlags
    @Option(help: "Comma-separated seeds.") var seeds = "1,2,3"
    @Option(help: "Input nodes per modality (one of them informative).") var nodesPerModality = 2
    @Flag(help: "Skip the unimodal probes.") var noProbes = false

    func run() throws {
        let seedList = try seeds.split(separator: ",", omittingEmptySubsequences: false).map { text -> UInt64 in
            guard let seed = UInt64(text) else { throw HNASError.argument("--seeds", why: "'\(text)' is not a seed") }
            return seed
        }
        try ArgumentRange.check(seedList.count, ArgumentRange.seedCount, "--seeds (count)")
        try ArgumentRange.check(nodesPerModality, ArgumentRange.syntheticNodes, "--nodes-per-modality")
        let settings = try flags.options(seed: 0)
        var task = SyntheticFusionTask()
        task.nodesPerModality = nodesPerModality
        let hardware = try makeRegistry().hardwareModels.make("tx2")
        var runs: [(String, Character?, any FusionSearch)] = [("darts", nil, DARTSFusionSearch()), ("random", nil, RandomFusionSearch())]
        if !noProbes { runs += [("darts, A only", "B", DARTSFusionSearch()), ("darts, B only", "A", DARTSFusionSearch())] }
        print("synthetic XOR task: \(2 * nodesPerModality) input nodes (informative: \(task.informativeNodes.a), \(task.informativeNodes.b)), S=\(flags.steps) T=\(flags.nodeSteps), C=\(settings.channels) L=\(settings.length), batch \(settings.batchSize), protocol \(settings.fusionProtocol.rawValue), search epochs \(settings.epochs), retrain epochs \(settings.retrainEpochs), lr \(settings.learningRateMax), arch lr \(settings.archLearningRate), threads \(Parallel.threads)")
        print("method            " + seedList.map { let s = "s\($0)"; return String(repeating: " ", count: max(8 - s.count, 1)) + s }.joined() + "      mean     sd  both-in-a-cell  s/run")
        for (label, drop, search) in runs {
            let problem = try task.problem(steps: flags.steps, nodeSteps: flags.nodeSteps, dropping: drop)
            var metrics: [Double] = [], informative = 0
            let start = Date()
            for seed in seedList {
                var options = settings
                options.seed = seed
                let result = try search.search(problem, options: options, hardware: hardware, progress: nil)
                metrics.append(result.metric)
                let pairs = stride(from: 0, to: result.genotype.edges.count, by: 2).map {
                    Set([result.genotype.edges[$0].input, result.genotype.edges[$0 + 1].input])
                }
                if pairs.contains(Set([task.informativeNodes.a, task.informativeNodes.b])) { informative += 1 }
            }
            let mean = metrics.reduce(0, +) / Double(metrics.count)
            let sd = (metrics.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(max(metrics.count - 1, 1))).squareRoot()
            let seconds = Date().timeIntervalSince(start) / Double(seedList.count)
            print(label.padding(toLength: 18, withPad: " ", startingAt: 0)
                  + metrics.map { String(format: "%8.2f", $0) }.joined()
                  + String(format: "  %8.2f %6.2f  %8d/%-6d %6.1f", mean, sd, informative, seedList.count, seconds))
        }
    }
}

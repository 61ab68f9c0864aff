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
            and standard deviation, whether darts kept the two informative input nodes, and run times.

            Example:
              hnas bench fusion --seeds 1,2,3,4,5 --steps 1 --node-steps 1 --epochs 10 --retrain-epochs 10
            """
    )

    @Option(help: "Comma-separated seeds.") var seeds = "1,2,3"
    @Option(help: "Fusion cells S.") var steps = 1
    @Option(help: "Fusion operators per cell T.") var nodeSteps = 1
    @Option(help: "Search epochs (darts).") var epochs = 10
    @Option(help: "Retraining epochs (both).") var retrainEpochs = 10
    @Option(help: "Batch size.") var batchSize = 32
    @Option(help: "Common channel width C.") var channels = 16
    @Option(help: "Common length L.") var length = 4
    @Option(help: "Maximum weight learning rate.") var lr: Float = 3e-3
    @Option(help: "Architecture learning rate.") var archLr: Float = 3e-2
    @Option(help: "Protocol: sound or original.") var `protocol` = "sound"
    @Option(help: "Input nodes per modality (one of them informative).") var nodesPerModality = 2
    @Flag(help: "Skip the unimodal probes.") var noProbes = false

    func run() throws {
        let seedList = try seeds.split(separator: ",").map { text -> UInt64 in
            guard let seed = UInt64(text) else { throw HNASError.argument("--seeds", why: "'\(text)' is not a seed") }
            return seed
        }
        guard !seedList.isEmpty else { throw HNASError.argument("--seeds", why: "no seeds given") }
        guard let chosen = FusionProtocol(rawValue: self.protocol) else {
            throw HNASError.argument("--protocol", why: "'\(self.protocol)' is not sound or original")
        }
        var task = SyntheticFusionTask()
        task.nodesPerModality = nodesPerModality
        let hardware = try makeRegistry().hardwareModels.make("tx2")
        var runs: [(String, Character?, any FusionSearch)] = [("darts", nil, DARTSFusionSearch()), ("random", nil, RandomFusionSearch())]
        if !noProbes { runs += [("darts, A only", "B", DARTSFusionSearch()), ("darts, B only", "A", DARTSFusionSearch())] }
        print("synthetic XOR task: \(2 * nodesPerModality) input nodes (informative: \(task.informativeNodes.a), \(task.informativeNodes.b)), S=\(steps) T=\(nodeSteps), C=\(channels) L=\(length), protocol \(chosen.rawValue), search epochs \(epochs), retrain epochs \(retrainEpochs), threads \(Parallel.threads)")
        print("method            " + seedList.map { let s = "s\($0)"; return String(repeating: " ", count: max(8 - s.count, 1)) + s }.joined() + "      mean     sd  informative  s/run")
        for (label, drop, search) in runs {
            let problem = try task.problem(steps: steps, nodeSteps: nodeSteps, dropping: drop)
            var metrics: [Double] = [], informative = 0
            let start = Date()
            for seed in seedList {
                var options = FusionSearchOptions(seed: seed)
                options.fusionProtocol = chosen
                options.epochs = epochs
                options.retrainEpochs = retrainEpochs
                options.batchSize = batchSize
                options.channels = channels
                options.length = length
                options.learningRateMax = lr
                options.learningRateMin = lr / 100
                options.archLearningRate = archLr
                let result = try search.search(problem, options: options, hardware: hardware, progress: nil)
                metrics.append(result.metric)
                let inputs = Set(result.genotype.edges.map(\.input))
                if inputs.contains(task.informativeNodes.a) && inputs.contains(task.informativeNodes.b) { informative += 1 }
            }
            let mean = metrics.reduce(0, +) / Double(metrics.count)
            let sd = (metrics.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(max(metrics.count - 1, 1))).squareRoot()
            let seconds = Date().timeIntervalSince(start) / Double(seedList.count)
            print(label.padding(toLength: 18, withPad: " ", startingAt: 0)
                  + metrics.map { String(format: "%8.2f", $0) }.joined()
                  + String(format: "  %8.2f %6.2f  %5d/%-5d %6.1f", mean, sd, informative, seedList.count, seconds))
        }
    }
}

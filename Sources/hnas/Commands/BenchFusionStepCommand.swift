import ArgumentParser
import Foundation
import HNASBench
import HNASKit
import SearchDARTS

/// `hnas bench fusion-step`: the DARTS fusion supernet's weight step, architecture step and
/// inference at AV-MNIST's fusion shapes, optionally side by side with a PyTorch implementation.
struct BenchFusionStepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fusion-step",
        abstract: "Time one weight step, architecture step and inference of the fusion supernet (optionally vs PyTorch).",
        discussion: """
            The supernet of the DARTS fusion search on random pooled features [batch, c, L] for input
            nodes of the given channels (default: AV-MNIST's 8 nodes 16,16,24,24,16,16,24,24), C = 192,
            L = 16. Weight step: forward, sqrt(cross-entropy), backward, Adam with L2 decay; architecture
            step: forward, cross-entropy, backward, Adam (0.5, 0.999); inference: eval mode, no gradients.
            With --compare-torch, Scripts/fusion_search_reference.py builds the same network in PyTorch and
            is timed in the same invocation with the same thread count. Build with -c release.

            Example:
              hnas bench fusion-step --threads 2 --batch 256 --steps 2 --node-steps 1 --compare-torch
            """
    )

    @OptionGroup var threading: ThreadsOption
    @Option(help: "Input-node channels, comma-separated.") var channels = "16,16,24,24,16,16,24,24"
    @Option(help: "Batch size.") var batch = 256
    @Option(help: "Classes.") var classes = 10
    @Option(help: "Fusion cells S.") var steps = 2
    @Option(help: "Fusion operators per cell T.") var nodeSteps = 1
    @Option(help: "Timed runs (after two warm-ups).") var iters = 5
    @Flag(help: "Also time the PyTorch reference (python3 with torch).") var compareTorch = false
    @Option(help: "The PyTorch reference script (relative paths: to the repository root).") var torchScript = "Scripts/fusion_search_reference.py"

    func run() throws {
        try threading.apply()
        let inputChannels = try channels.split(separator: ",", omittingEmptySubsequences: false).map { text -> Int in
            guard let c = Int(text) else { throw HNASError.argument("--channels", why: "'\(text)' is not a channel count") }
            return try ArgumentRange.check(c, ArgumentRange.channels, "--channels")
        }
        try ArgumentRange.check(inputChannels.count, 2...ArgumentRange.syntheticNodes.upperBound * 2, "--channels (input nodes)")
        try ArgumentRange.check(batch, ArgumentRange.trainingBatch, "--batch")
        try ArgumentRange.check(classes, ArgumentRange.classes, "--classes")
        try ArgumentRange.check(steps, ArgumentRange.fusionSteps, "--steps")
        try ArgumentRange.check(nodeSteps, ArgumentRange.fusionSteps, "--node-steps")
        try ArgumentRange.check(iters, ArgumentRange.repeats, "--iters")
        let bench = try FusionStepBenchmark(inputChannels: inputChannels, batch: batch, classes: classes, steps: steps, nodeSteps: nodeSteps)
        let timed = { (body: () throws -> Void) in try BenchTrainStepCommand.timed(warmup: 2, iters: iters, body) }
        let hnas = [try timed { try bench.weightStep() }, try timed { try bench.architectureStep() }, try timed { try bench.inference() }]
        var torch: [[String: Any]?] = [nil, nil, nil]
        var torchWeights: Any = "-"
        if compareTorch {
            let object = try PythonReference.run(script: BenchNetworkArguments.resolve(torchScript), arguments: [
                "--channels", channels, "--batch", String(batch), "--classes", String(classes), "--steps", String(steps),
                "--node-steps", String(nodeSteps), "--threads", String(Parallel.threads), "--iters", String(iters)])
            torch = ["weight_step_ms", "arch_step_ms", "infer_ms"].map { object[$0] as? [String: Any] }
            torchWeights = object["weights"] ?? "?"
        }
        print("hnas bench fusion-step: \(inputChannels.count) input nodes \(channels), S=\(steps) T=\(nodeSteps), C=192 L=16, batch \(batch), \(Parallel.threads) threads, weights: hnas \(bench.weightCount), PyTorch \(torchWeights)")
        print("ms as min / median / max; ratio = hnas median / PyTorch median")
        for (k, name) in ["weight step", "arch step", "inference"].enumerated() {
            let h = hnas[k]
            var line = name.padding(toLength: 12, withPad: " ", startingAt: 0) + String(format: "hnas %.1f / %.1f / %.1f", h.min, h.median, h.max)
            if let t = torch[k], let min = (t["min"] as? NSNumber)?.doubleValue, let median = (t["median"] as? NSNumber)?.doubleValue,
               let max = (t["max"] as? NSNumber)?.doubleValue {
                line += String(format: "   PyTorch %.1f / %.1f / %.1f   ratio %.2f", min, median, max, h.median / median)
            }
            print(line)
        }
    }
}

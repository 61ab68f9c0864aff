import ArgumentParser
import Foundation
import HNASBench
import HNASKit

/// `hnas bench train-step`: times a training step, a batch inference and a batch-1 inference of
/// a benchmark network on the engine, optionally side by side with PyTorch (`torch_reference.py`).
struct BenchTrainStepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-step",
        abstract: "Time a training step and inference of a benchmark network, optionally against PyTorch.",
        discussion: """
            A training step is: forward in train mode, cross-entropy loss, backward, SGD update (momentum 0.9, weight decay 1e-4, lr 0.01) on a fixed random batch. Inference is a no-grad forward in eval mode, for the whole batch and for one sample. Each is reported as min/median/max ms over --iters runs after --warmup runs (batch-1: ten times as many). With --compare-torch the PyTorch reference runs twice (default layout, then --channels-last) and the ratios hnas/PyTorch are printed. Build with -c release.

            Example:
              hnas bench train-step --net avmnist-image-max --threads 2 --compare-torch
            """
    )

    @OptionGroup var bench: BenchNetworkArguments

    @Option(help: "Untimed runs before timing.")
    var warmup = 3

    @Option(help: "Timed runs.")
    var iters = 10

    @Flag(help: "Also run the PyTorch reference (default layout and channels-last) and print ratios.")
    var compareTorch = false

    @Option(help: "The PyTorch reference script (relative paths: to the repository root).")
    var torchScript = "../shared/bench/torch_reference.py"

    func run() throws {
        print(try report())
    }

    /// Measures and returns the table (or JSON object) that `run` prints.
    func report() throws -> String {
        try ArgumentRange.check(warmup, ArgumentRange.warmup, "--warmup")
        try ArgumentRange.check(iters, ArgumentRange.repeats, "--iters")
        let (network, batch) = try bench.setUp()

        let hnas = try measure(network, batch: batch)
        var torch: [String: [String: Any]] = [:]
        if compareTorch {
            let script = BenchNetworkArguments.resolve(torchScript)
            torch["default"] = try runTorch(script: script, batch: batch, channelsLast: false)
            torch["channels_last"] = try runTorch(script: script, batch: batch, channelsLast: true)
        }
        return bench.json ? try jsonReport(hnas, torch: torch, batch: batch) : table(hnas, torch: torch, batch: batch)
    }

    // MARK: Measuring the engine

    typealias Timing = (min: Double, median: Double, max: Double)

    struct Figures {
        var parameters: Int
        var trainStep: Timing
        var inferBatch: Timing
        var inferOne: Timing
        var loss: Float
    }

    private func measure(_ network: BenchNetwork, batch: Int) throws -> Figures {
        var generator = SeededGenerator(seed: 0)
        let model = try network.makeModel(generator: &generator)
        let (c, h, w) = (network.input[0], network.input[1], network.input[2])
        let x = WeightInit.normal([batch, c, h, w], std: 1, generator: &generator)
        let x1 = WeightInit.normal([1, c, h, w], std: 1, generator: &generator)
        let labels = (0..<batch).map { _ in generator.int(below: network.classes) }
        let sgd = SGD(parameters: model.parameters, learningRate: 0.01, momentum: 0.9, weightDecay: 1e-4)
        var loss: Float = 0

        model.train()
        let train = try Self.timed(warmup: warmup, iters: iters) {
            model.zeroGrad()
            let l = try Loss.crossEntropy(logits: try model(x), labels: labels)
            try l.backward()
            try sgd.step()
            loss = l.item
        }
        model.eval()
        let (inferBatch, inferOne) = try Autograd.withoutGrad {
            (try Self.timed(warmup: warmup, iters: iters) { _ = try model(x) },
             try Self.timed(warmup: warmup * 10, iters: iters * 10) { _ = try model(x1) })
        }
        let count = model.parameters.reduce(0) { $0 + $1.value.count }
        return Figures(parameters: count, trainStep: train, inferBatch: inferBatch, inferOne: inferOne, loss: loss)
    }

    static func timed(warmup: Int, iters: Int, _ body: () throws -> Void) throws -> Timing {
        for _ in 0..<warmup { try body() }
        var samples: [Double] = []
        for _ in 0..<iters {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return (samples.min()!, median(samples), samples.max()!)
    }

    // MARK: PyTorch reference

    private func runTorch(script: String, batch: Int, channelsLast: Bool) throws -> [String: Any] {
        try PythonReference.run(script: script, arguments: [
            "--net", bench.net, "--threads", String(Parallel.threads), "--batch", String(batch),
            "--warmup", String(warmup), "--iters", String(iters),
        ] + (channelsLast ? ["--channels-last"] : []))
    }

    private static func torchTiming(_ object: [String: Any]?, _ key: String) -> Timing? {
        guard let t = object?[key] as? [String: Any], let min = (t["min"] as? NSNumber)?.doubleValue,
              let median = (t["median"] as? NSNumber)?.doubleValue, let max = (t["max"] as? NSNumber)?.doubleValue else { return nil }
        return (min, median, max)
    }

    // MARK: Output

    private static let measures = [("train step", "train_step_ms"), ("infer batch", "infer_batch_ms"), ("infer batch-1", "infer_b1_ms")]

    private func timings(_ f: Figures) -> [Timing] { [f.trainStep, f.inferBatch, f.inferOne] }

    private func table(_ f: Figures, torch: [String: [String: Any]], batch: Int) -> String {
        var lines = [
            "hnas bench train-step: \(bench.net), batch \(batch), \(Parallel.threads) threads, \(f.parameters) parameters, last loss \(f.loss)",
            "ms as min / median / max; ratio = hnas median / PyTorch median",
        ]
        func cell(_ t: Timing) -> String { String(format: "%.2f / %.2f / %.2f", t.min, t.median, t.max) }
        var header = ["", "hnas"]
        for layout in ["default", "channels_last"] where torch[layout] != nil {
            header += ["torch \(layout)", "ratio"]
        }
        var rows = [header]
        for (index, (label, key)) in Self.measures.enumerated() {
            let mine = timings(f)[index]
            var row = [label, cell(mine)]
            for layout in ["default", "channels_last"] where torch[layout] != nil {
                if let t = Self.torchTiming(torch[layout], key) {
                    row += [cell(t), String(format: "%.2f", mine.median / t.median)]
                } else {
                    row += ["-", "-"]
                }
            }
            rows.append(row)
        }
        lines.append(TextColumns.format(rows))
        if let version = torch["default"]?["torch"] { lines.append("PyTorch \(version)") }
        return lines.joined(separator: "\n")
    }

    private func jsonReport(_ f: Figures, torch: [String: [String: Any]], batch: Int) throws -> String {
        func object(_ t: Timing) -> [String: Double] { ["min": t.min, "median": t.median, "max": t.max] }
        var hnas: [String: Any] = ["params": f.parameters, "last_loss": Double(f.loss)]
        for (index, (_, key)) in Self.measures.enumerated() { hnas[key] = object(timings(f)[index]) }
        var result: [String: Any] = ["net": bench.net, "batch": batch, "threads": Parallel.threads, "hnas": hnas]
        for (layout, figures) in torch {
            result["torch_\(layout)"] = figures
            var ratios: [String: Double] = [:]
            for (index, (_, key)) in Self.measures.enumerated() {
                if let t = Self.torchTiming(figures, key) { ratios[key] = timings(f)[index].median / t.median }
            }
            result["ratio_\(layout)"] = ratios
        }
        let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}

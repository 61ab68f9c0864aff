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
            A training step is: forward in train mode, cross-entropy loss, backward, SGD update (momentum 0.9, weight decay 1e-4, lr 0.01) on a fixed random batch. Inference is a no-grad forward in eval mode, for the whole batch and for one sample. Each is reported as min/median/max ms over --iters runs after --warmup runs (batch-1: ten times as many). With --compare-torch the PyTorch reference runs twice (default layout, then --channels-last) and the ratios hnas/PyTorch are printed. With --rounds N the whole measurement (hnas, then each PyTorch layout) runs N times in turn and a summary gives each ratio's median over the rounds: a host whose speed drifts during the run then slows both sides alike. Build with -c release.

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

    @Option(help: "Times to run the whole measurement in turn (hnas, then each PyTorch layout); above 1, a summary follows.")
    var rounds = 1

    func run() throws {
        print(try report())
    }

    /// Measures and returns the table (or JSON object) that `run` prints.
    func report() throws -> String {
        try ArgumentRange.check(warmup, ArgumentRange.warmup, "--warmup")
        try ArgumentRange.check(iters, ArgumentRange.repeats, "--iters")
        try ArgumentRange.check(rounds, ArgumentRange.rounds, "--rounds")
        let (network, batch) = try bench.setUp()
        let script = BenchNetworkArguments.resolve(torchScript)
        var measured: [Round] = []
        for _ in 0..<rounds {
            let hnas = try measure(network, batch: batch)
            var torch: [String: [String: Any]] = [:]
            if compareTorch {
                torch["default"] = try runTorch(script: script, batch: batch, channelsLast: false)
                torch["channels_last"] = try runTorch(script: script, batch: batch, channelsLast: true)
            }
            measured.append(Round(hnas: hnas, torch: torch))
        }
        return bench.json ? try jsonReport(measured, batch: batch) : table(measured, batch: batch)
    }

    /// One measurement: the engine's figures and each PyTorch layout's JSON object (none without --compare-torch).
    struct Round {
        var hnas: Figures
        var torch: [String: [String: Any]]

        /// hnas's median over PyTorch's for the measure at `index` of `measures` in `layout`, when PyTorch reported it.
        func ratio(_ index: Int, _ layout: String) -> Double? {
            BenchTrainStepCommand.torchTiming(torch[layout], BenchTrainStepCommand.measures[index].key).map { hnas.timings[index].median / $0.median }
        }
    }

    /// What the rounds' summary reports, per measure (in the order of `measures`): hnas's median of its rounds'
    /// medians and, per PyTorch layout, PyTorch's median of medians and the median and range of the rounds'
    /// ratios (nil where PyTorch gave no figure).
    struct Summary {
        struct Ratios {
            let median, min, max: Double
        }

        let hnas: [Double]
        let torch: [String: [Double?]]
        let ratios: [String: [Ratios?]]

        init(_ measured: [Round], layouts: [String]) {
            hnas = BenchTrainStepCommand.measures.indices.map { index in median(measured.map { $0.hnas.timings[index].median }) }
            var torch: [String: [Double?]] = [:], ratios: [String: [Ratios?]] = [:]
            for layout in layouts where measured[0].torch[layout] != nil {
                torch[layout] = BenchTrainStepCommand.measures.map { measure in
                    let medians = measured.compactMap { BenchTrainStepCommand.torchTiming($0.torch[layout], measure.key)?.median }
                    return medians.isEmpty ? nil : median(medians)
                }
                ratios[layout] = BenchTrainStepCommand.measures.indices.map { index in
                    let values = measured.compactMap { $0.ratio(index, layout) }
                    return values.isEmpty ? nil : Ratios(median: median(values), min: values.min()!, max: values.max()!)
                }
            }
            self.torch = torch
            self.ratios = ratios
        }
    }

    // MARK: Measuring the engine

    typealias Timing = (min: Double, median: Double, max: Double)

    struct Figures {
        var parameters: Int
        var trainStep: Timing
        var inferBatch: Timing
        var inferOne: Timing
        var loss: Float

        /// The timings in the order of `measures`.
        var timings: [Timing] { [trainStep, inferBatch, inferOne] }
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

    static func torchTiming(_ object: [String: Any]?, _ key: String) -> Timing? {
        guard let t = object?[key] as? [String: Any], let min = (t["min"] as? NSNumber)?.doubleValue,
              let median = (t["median"] as? NSNumber)?.doubleValue, let max = (t["max"] as? NSNumber)?.doubleValue else { return nil }
        return (min, median, max)
    }

    // MARK: Output

    /// Each measure's label in the table and key in the JSON (the keys of `torch_reference.py`).
    static let measures = [(label: "train step", key: "train_step_ms"), (label: "infer batch", key: "infer_batch_ms"),
                           (label: "infer batch-1", key: "infer_b1_ms")]
    private static let layouts = ["default", "channels_last"]

    private func table(_ measured: [Round], batch: Int) -> String {
        let first = measured[0].hnas
        var lines = ["hnas bench train-step: \(bench.net), batch \(batch), \(Parallel.threads) threads, \(first.parameters) parameters"]
        for (index, round) in measured.enumerated() {
            if measured.count > 1 { lines.append("round \(index + 1) of \(measured.count), last loss \(round.hnas.loss)") }
            else { lines[0] += ", last loss \(round.hnas.loss)" }
            lines.append(roundTable(round))
        }
        if measured.count > 1 {
            lines.append("over \(measured.count) rounds: ms = median of the rounds' medians; ratio = median of the rounds' ratios (min–max)")
            lines.append(summaryTable(Summary(measured, layouts: Self.layouts)))
        }
        if let version = measured[0].torch["default"]?["torch"] { lines.append("PyTorch \(version)") }
        return lines.joined(separator: "\n")
    }

    private func roundTable(_ round: Round) -> String {
        func cell(_ t: Timing) -> String { String(format: "%.2f / %.2f / %.2f", t.min, t.median, t.max) }
        var rows = [["", "hnas"]]
        for layout in Self.layouts where round.torch[layout] != nil { rows[0] += ["torch \(layout)", "ratio"] }
        for (index, measure) in Self.measures.enumerated() {
            var row = [measure.label, cell(round.hnas.timings[index])]
            for layout in Self.layouts where round.torch[layout] != nil {
                if let t = Self.torchTiming(round.torch[layout], measure.key), let ratio = round.ratio(index, layout) {
                    row += [cell(t), String(format: "%.2f", ratio)]
                } else {
                    row += ["-", "-"]
                }
            }
            rows.append(row)
        }
        return "ms as min / median / max; ratio = hnas median / PyTorch median\n" + TextColumns.format(rows)
    }

    /// Medians over the rounds: of hnas's and each layout's medians, and of the rounds' ratios (with their range).
    private func summaryTable(_ summary: Summary) -> String {
        var rows = [["", "hnas"]]
        let layouts = Self.layouts.filter { summary.ratios[$0] != nil }
        for layout in layouts { rows[0] += ["torch \(layout)", "ratio"] }
        for (index, measure) in Self.measures.enumerated() {
            var row = [measure.label, String(format: "%.2f", summary.hnas[index])]
            for layout in layouts {
                guard let torch = summary.torch[layout]?[index], let ratios = summary.ratios[layout]?[index] else {
                    row += ["-", "-"]
                    continue
                }
                row += [String(format: "%.2f", torch), String(format: "%.2f (%.2f–%.2f)", ratios.median, ratios.min, ratios.max)]
            }
            rows.append(row)
        }
        return TextColumns.format(rows)
    }

    /// One object for a single round (as before rounds existed); for several, the rounds' objects under
    /// "rounds" and the medians under "summary".
    private func jsonReport(_ measured: [Round], batch: Int) throws -> String {
        var result: [String: Any] = ["net": bench.net, "batch": batch, "threads": Parallel.threads]
        if measured.count == 1 {
            result.merge(roundObject(measured[0])) { $1 }
        } else {
            result["rounds"] = measured.map(roundObject)
            let summary = Summary(measured, layouts: Self.layouts)
            var object: [String: Any] = ["hnas": Dictionary(uniqueKeysWithValues: zip(Self.measures.map(\.key), summary.hnas))]
            for (layout, ratios) in summary.ratios {
                var byKey: [String: [String: Double]] = [:]
                for (measure, r) in zip(Self.measures, ratios) {
                    if let r { byKey[measure.key] = ["median": r.median, "min": r.min, "max": r.max] }
                }
                object["ratio_\(layout)"] = byKey
            }
            result["summary"] = object
        }
        let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// A round's figures: "hnas", and per PyTorch layout its object ("torch_<layout>") and the ratios ("ratio_<layout>").
    private func roundObject(_ round: Round) -> [String: Any] {
        func object(_ t: Timing) -> [String: Double] { ["min": t.min, "median": t.median, "max": t.max] }
        var hnas: [String: Any] = ["params": round.hnas.parameters, "last_loss": Double(round.hnas.loss)]
        for (index, measure) in Self.measures.enumerated() { hnas[measure.key] = object(round.hnas.timings[index]) }
        var result: [String: Any] = ["hnas": hnas]
        for (layout, figures) in round.torch {
            result["torch_\(layout)"] = figures
            var ratios: [String: Double] = [:]
            for index in Self.measures.indices { ratios[Self.measures[index].key] = round.ratio(index, layout) }
            result["ratio_\(layout)"] = ratios
        }
        return result
    }
}

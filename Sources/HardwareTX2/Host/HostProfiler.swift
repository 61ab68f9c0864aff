import Dispatch
import Foundation
import HNASKit

/// Measures a latency/energy table for the machine hnas runs on: each layer configuration is
/// built with the engine exactly as its key describes (`ProfiledLayer.makeLayer`), run at batch 1
/// in evaluation mode without autograd, `warmup` times untimed, then `repeats` times timed.
/// Latency is the median of the repeats (ms); energy is the package energy of a separate window
/// of runs (at least `repeats` runs and `energyWindow` seconds) divided by its run count (mJ), or
/// `nil` without a readable RAPL counter.
public struct HostProfiler: Sendable {
    public let repeats: Int
    public let warmup: Int
    public let meter: RAPLMeter
    /// Seed of the random weights and inputs (values do not change the work done).
    public let seed: UInt64

    /// - Throws: `HNASError` when `repeats` < 1 or `warmup` < 0.
    public init(repeats: Int = 50, warmup: Int = 10, meter: RAPLMeter = RAPLMeter(), seed: UInt64 = 0) throws {
        guard repeats >= 1 else { throw HNASError.argument("--repeats", why: "must be at least 1, got \(repeats)") }
        guard warmup >= 0 else { throw HNASError.argument("--warmup", why: "must be at least 0, got \(warmup)") }
        self.repeats = repeats
        self.warmup = warmup
        self.meter = meter
        self.seed = seed
    }

    /// What the table's note says about how it was measured.
    public var note: String {
        "measured by hnas \(BuildInfo.version) on this host with the hnas engine, batch 1, eval mode, "
            + "\(Parallel.threads) thread(s), \(warmup) warm-up run(s), median of \(repeats) run(s); lat in ms; "
            + meter.summary
    }

    /// The fusion operators' input size the original's tables measure: `[1, 192, 16]` (C = 192, L = 16).
    public static let fusionChannels = 192, fusionLength = 16

    /// Measures `layers` in order, then every operator of `fusionOperators` (keyed as the Jetson fusion
    /// tables are, on `[1, 192, 16]` inputs), and returns the table `name`.
    /// `progress(done, total, key, cost)` is called after each entry.
    public func profile(_ layers: [ProfiledLayer], fusionOperators: (any FusionOperatorSource)? = nil, name: String,
                        progress: (Int, Int, String, Cost) -> Void = { _, _, _, _ in }) throws -> MeasuredTable {
        var generator = SeededGenerator(seed: seed)
        var entries: [String: Cost] = [:]
        let operators = fusionOperators?.operatorNames ?? []
        let total = layers.count + operators.count
        for (index, layer) in layers.enumerated() {
            let module = layer.makeLayer(generator: &generator)
            let input = WeightInit.normal(layer.inputShape, std: 1, generator: &generator)
            let cost = try measure { _ = try module(input) }
            entries[layer.key] = cost
            progress(index + 1, total, layer.key, cost)
        }
        if let fusionOperators {
            for (index, (key, cost)) in try measureFusion(fusionOperators).enumerated() {
                entries[key] = cost
                progress(layers.count + index + 1, total, key, cost)
            }
        }
        return MeasuredTable(entries: entries, name: name, note: note)
    }

    /// The cost of every operator of `source`, keyed as the Jetson fusion tables are, in `operatorNames` order.
    public func measureFusion(_ source: any FusionOperatorSource) throws -> [(key: String, cost: Cost)] {
        try source.operatorNames.enumerated().map { index, op in
            let run = try source.makeOperatorRun(op, channels: Self.fusionChannels, length: Self.fusionLength,
                                                 seed: seed &+ UInt64(index))
            return (JetsonModel.fusionKey(op, channels: Self.fusionChannels, length: Self.fusionLength), try measure(run))
        }
    }

    /// Energy windows last at least this long (s): RAPL counters advance about once a millisecond,
    /// far too coarse for one microsecond-scale layer run.
    static let energyWindow = 0.1

    /// The cost of one unit of work (a layer's or an operator's forward pass), run without autograd.
    func measure(_ run: () throws -> Void) throws -> Cost {
        try Autograd.withoutGrad {
            for _ in 0..<warmup { try run() }
            var times: [Double] = []
            times.reserveCapacity(repeats)
            for _ in 0..<repeats {
                let start = DispatchTime.now().uptimeNanoseconds
                try run()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            return Cost(latencyMs: median(times), energyMJ: try energy(run))
        }
    }

    /// Package energy per run (mJ) over at least `repeats` runs and `energyWindow` seconds, or
    /// `nil` without a readable counter.
    private func energy(_ run: () throws -> Void) throws -> Double? {
        guard let before = meter.read() else { return nil }
        let start = DispatchTime.now().uptimeNanoseconds
        var runs = 0
        repeat {
            try run()
            runs += 1
        } while runs < repeats || Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 < Self.energyWindow
        return meter.read().map { meter.millijoules(from: before, to: $0) / Double(runs) }
    }
}

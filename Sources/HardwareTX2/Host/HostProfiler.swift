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

    /// Measures `layers` in order and returns the table `name`. `progress(done, total, key, cost)`
    /// is called after each layer.
    public func profile(_ layers: [ProfiledLayer], name: String,
                        progress: (Int, Int, String, Cost) -> Void = { _, _, _, _ in }) throws -> MeasuredTable {
        var generator = SeededGenerator(seed: seed)
        var entries: [String: Cost] = [:]
        for (index, layer) in layers.enumerated() {
            let cost = try measure(layer, generator: &generator)
            entries[layer.key] = cost
            progress(index + 1, layers.count, layer.key, cost)
        }
        return MeasuredTable(entries: entries, name: name, note: note)
    }

    /// Energy windows last at least this long (s): RAPL counters advance about once a millisecond,
    /// far too coarse for one microsecond-scale layer run.
    static let energyWindow = 0.1

    /// The cost of one layer.
    func measure(_ layer: ProfiledLayer, generator: inout SeededGenerator) throws -> Cost {
        let module = layer.makeLayer(generator: &generator)
        let input = WeightInit.normal(layer.inputShape, std: 1, generator: &generator)
        return try Autograd.withoutGrad {
            for _ in 0..<warmup { _ = try module(input) }
            var times: [Double] = []
            times.reserveCapacity(repeats)
            for _ in 0..<repeats {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try module(input)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            return Cost(latencyMs: median(times), energyMJ: try energy(module, input))
        }
    }

    /// Package energy per run (mJ) over at least `repeats` runs and `energyWindow` seconds, or
    /// `nil` without a readable counter.
    private func energy(_ module: Layer, _ input: Tensor) throws -> Double? {
        guard let before = meter.read() else { return nil }
        let start = DispatchTime.now().uptimeNanoseconds
        var runs = 0
        repeat {
            _ = try module(input)
            runs += 1
        } while runs < repeats || Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 < Self.energyWindow
        return meter.read().map { meter.millijoules(from: before, to: $0) / Double(runs) }
    }
}

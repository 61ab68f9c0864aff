import Dispatch
import Foundation
import HNASKit

/// Measures a latency/energy table for the machine hnas runs on: each layer configuration is
/// built with the engine exactly as its key describes (`ProfiledLayer.makeLayer`), run at batch 1
/// in evaluation mode without autograd, `warmup` times untimed, then `repeats` times timed.
/// Latency is the median of the repeats (ms); energy is the package energy over the timed
/// repeats divided by `repeats` (mJ), or `nil` without a readable RAPL counter.
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

    /// The cost of one layer.
    func measure(_ layer: ProfiledLayer, generator: inout SeededGenerator) throws -> Cost {
        let module = layer.makeLayer(generator: &generator)
        let shape = layer.inputShape
        let input = try Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in Float(generator.normal()) })
        return try Autograd.withoutGrad {
            for _ in 0..<warmup { _ = try module(input) }
            var times: [Double] = []
            times.reserveCapacity(repeats)
            let before = meter.read()
            for _ in 0..<repeats {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try module(input)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            let energy = before.flatMap { start in meter.read().map { meter.millijoules(from: start, to: $0) / Double(repeats) } }
            return Cost(latencyMs: median(times), energyMJ: energy)
        }
    }
}

import Foundation

/// The CPU package energy counters of Linux's powercap interface (RAPL; the kernel exposes AMD's
/// counters there too): every top-level zone `<root>/<zone>/energy_uj` whose `name` starts with
/// `package`, summed, with wrap-around at `max_energy_range_uj`.
///
/// The counters measure whole packages, so energy attributed to a layer includes whatever else
/// the machine runs meanwhile. They are often readable only by root; then `zones` is empty and
/// energy is not measured.
public struct RAPLMeter: Sendable {
    /// One readable package counter.
    struct Zone: Sendable {
        let counter: URL
        /// The value at which the counter wraps to 0, in µJ.
        let range: Double
    }

    /// The readable package counters found.
    let zones: [Zone]
    /// Where the counters were looked for.
    public let root: URL

    /// Finds the readable package counters under `root`.
    public init(root: URL = URL(fileURLWithPath: "/sys/class/powercap")) {
        self.root = root
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        zones = names.sorted().compactMap { name in
            let zone = root.appendingPathComponent(name)
            guard let label = Self.read(zone.appendingPathComponent("name")), label.hasPrefix("package"),
                  Self.number(zone.appendingPathComponent("energy_uj")) != nil else { return nil }
            let range = Self.number(zone.appendingPathComponent("max_energy_range_uj")) ?? Double(UInt64.max)
            return Zone(counter: zone.appendingPathComponent("energy_uj"), range: range)
        }
    }

    /// Whether energy can be measured.
    public var isAvailable: Bool { !zones.isEmpty }

    /// A reading of every counter (µJ), or `nil` when a counter cannot be read.
    public func read() -> [Double]? {
        let values = zones.compactMap { Self.number($0.counter) }
        return values.count == zones.count && !zones.isEmpty ? values : nil
    }

    /// Millijoules consumed between two readings, allowing one wrap-around per counter.
    public func millijoules(from start: [Double], to end: [Double]) -> Double {
        zip(zones, zip(start, end)).reduce(0) { total, item in
            let (zone, (a, b)) = item
            return total + (b >= a ? b - a : zone.range - a + b) / 1000
        }
    }

    /// One line saying what is measured, for the table's note and the command's output.
    public var summary: String {
        isAvailable
            ? "enrg in mJ from RAPL package counters (\(zones.map(\.counter.path).joined(separator: ", ")): whole-package energy over >= 0.1 s of runs / runs"
            : "energy not measured: no readable RAPL package counter under \(root.path) (enrg is null)"
    }

    private static func read(_ url: URL) -> String? {
        (try? String(contentsOf: url, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func number(_ url: URL) -> Double? { read(url).flatMap { Double($0) } }
}

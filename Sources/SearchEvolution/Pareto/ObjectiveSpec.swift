import Foundation
import HNASKit

/// One objective of a results table: a column and whether larger is better (`acc:max`) or smaller (`latency:min`).
public struct ObjectiveSpec: Equatable, Codable, Sendable, CustomStringConvertible {
    public var column: String
    public var maximise: Bool

    public init(column: String, maximise: Bool) {
        self.column = column
        self.maximise = maximise
    }

    /// The search's own objectives: `acc:max,latency:min,energy:min`.
    public static let searchDefaults = [ObjectiveSpec(column: "acc", maximise: true),
                                        ObjectiveSpec(column: "latency", maximise: false),
                                        ObjectiveSpec(column: "energy", maximise: false)]

    /// Parses `column:max|min[,column:max|min…]`; a column without direction is minimised.
    /// - Throws: `HNASError` for `--objectives` when a direction is unknown, a name is empty or repeated.
    public static func parseList(_ text: String) throws -> [ObjectiveSpec] {
        let specs = try text.split(separator: ",", omittingEmptySubsequences: false).map { item -> ObjectiveSpec in
            let parts = item.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let name = parts.first, !name.isEmpty, parts.count <= 2 else {
                throw HNASError.argument("--objectives", why: "'\(item)' is not COLUMN:max or COLUMN:min")
            }
            switch parts.count == 2 ? parts[1].lowercased() : "min" {
            case "max": return ObjectiveSpec(column: name, maximise: true)
            case "min": return ObjectiveSpec(column: name, maximise: false)
            default: throw HNASError.argument("--objectives", why: "direction '\(parts[1])' of '\(name)' is not max or min")
            }
        }
        if let repeated = specs.map(\.column).firstDuplicate {
            throw HNASError.argument("--objectives", why: "column '\(repeated)' is listed twice")
        }
        return specs
    }

    public var description: String { "\(column):\(maximise ? "max" : "min")" }
}

private extension Array where Element: Hashable {
    var firstDuplicate: Element? {
        var seen = Set<Element>()
        return first { !seen.insert($0).inserted }
    }
}

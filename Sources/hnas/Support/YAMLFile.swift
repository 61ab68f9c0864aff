import Foundation
import HNASKit
import Yams

/// Reads a YAML file into plain values (`[String: Any]`, `[Any]`, `Int`, `Double`, `String`, …) with the
/// limits every hnas YAML input gets: a regular file of at most `maximumBytes`, UTF-8, and at most
/// `maximumNodes` nodes once aliases are expanded. Yams shares an aliased node instead of copying it,
/// so a "billion laughs" file composes in microseconds; it is the conversion to values that would
/// expand it without bound, so the nodes are counted (stopping at the limit) before converting.
enum YAMLFile {
    /// Largest file read (1 MiB; a search config is a few KB).
    static let maximumBytes = 1 << 20
    /// Largest node count after alias expansion.
    static let maximumNodes = 100_000

    /// The document of the YAML file at `path`, or nil when it is empty.
    /// - Parameter what: the kind of file errors name, e.g. `"search config"`.
    /// - Throws: `HNASError` naming the file: unreadable, too large, not UTF-8, not YAML, or expanding past the limit.
    static func load(path: String, what: String) throws -> Any? {
        let bytes = try FileContents.read(URL(fileURLWithPath: path), "cannot read \(what)", path: path)
        guard bytes.count <= maximumBytes else {
            throw HNASError.file(path, "cannot read \(what)", why: "it has \(bytes.count) bytes, above the limit of \(maximumBytes)")
        }
        guard let text = String(data: bytes, encoding: .utf8) else {
            throw HNASError.file(path, "cannot read \(what)", why: "not UTF-8 text")
        }
        func parseError(_ error: Error) -> HNASError {
            HNASError.file(path, "cannot parse \(what)", why: "\(error)".split(separator: "\n").first.map(String.init) ?? "invalid YAML")
        }
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch { throw parseError(error) }
        guard let node else { return nil }
        var budget = maximumNodes
        guard count(node, budget: &budget) else {
            throw HNASError.file(path, "cannot parse \(what)",
                                 why: "it expands to more than \(maximumNodes) YAML nodes (aliases referring to aliases?)")
        }
        do { return try Yams.load(yaml: text) } catch { throw parseError(error) }
    }

    /// Counts `node` and its descendants against `budget`; false as soon as it runs out.
    private static func count(_ node: Node, budget: inout Int) -> Bool {
        budget -= 1
        guard budget >= 0 else { return false }
        switch node {
        case .scalar: return true
        case .sequence(let sequence):
            for child in sequence where !count(child, budget: &budget) { return false }
            return true
        case .mapping(let mapping):
            for (key, value) in mapping where !count(key, budget: &budget) || !count(value, budget: &budget) { return false }
            return true
        }
    }
}

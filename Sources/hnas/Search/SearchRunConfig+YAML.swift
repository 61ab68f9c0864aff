import Foundation
import HNASKit
import HNASSearch
import Yams

extension SearchRunConfig {
    /// The top-level mapping of a Harmonic-NAS search YAML (`configs/search_config_*.yml`).
    /// - Throws: `HNASError` naming the file for unreadable or unparsable YAML, or a top level that is not a mapping.
    static func readYAML(_ path: String) throws -> [String: Any] {
        let bytes = try FileContents.read(URL(fileURLWithPath: path), "cannot read search config", path: path)
        guard let text = String(data: bytes, encoding: .utf8) else {
            throw HNASError.file(path, "cannot read search config", why: "not UTF-8 text")
        }
        let parsed: Any?
        do { parsed = try Yams.load(yaml: text) } catch {
            throw HNASError.file(path, "cannot parse search config", why: "\(error)".split(separator: "\n").first.map(String.init) ?? "invalid YAML")
        }
        guard let mapping = parsed.flatMap(Self.stringKeyed) else {
            throw HNASError.file(path, "invalid search config", why: "the top level is not a mapping of keys to values")
        }
        return mapping
    }

    /// Applies a Harmonic-NAS search YAML (`apply(configuration:)`'s keys; the original's other keys are accepted
    /// and ignored).
    /// - Throws: `HNASError` naming the file and the key for unreadable YAML or a bad value.
    mutating func apply(yamlFile path: String) throws {
        try apply(yaml: try Self.readYAML(path), path: path)
    }

    /// Applies the already read mapping of the YAML file at `path`.
    /// - Throws: `HNASError` naming the file and the key for a bad value.
    mutating func apply(yaml mapping: [String: Any], path: String) throws {
        do {
            try apply(configuration: mapping)
        } catch let error as HNASError {
            throw HNASError.file(path, "invalid search config", why: "\(error.subjectName): \(error.why)")
        }
    }
}

import Foundation
import HNASKit
import HNASSearch

extension SearchRunConfig {
    /// The top-level mapping of a Harmonic-NAS search YAML (`configs/search_config_*.yml`).
    /// - Throws: `HNASError` naming the file for unreadable or unparsable YAML, or a top level that is not a mapping.
    static func readYAML(_ path: String) throws -> [String: Any] {
        let parsed = try YAMLFile.load(path: path, what: "search config")
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

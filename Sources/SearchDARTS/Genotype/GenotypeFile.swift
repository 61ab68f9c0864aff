import Foundation
import HNASKit

/// Reads a genotype from a file: a genotype JSON object (the original's field names), an object
/// with a `genotype` member (a fusion-search result or a fusion architecture), or the original's
/// printed form `Genotype(edges=[…], …)` (bare or as a JSON string).
public enum GenotypeFile {
    /// - Throws: `HNASError` naming the file when it cannot be read or holds no valid genotype
    ///   (`FusionGenotype.validate`).
    public static func load(path: String) throws -> FusionGenotype {
        let genotype = try decode(path: path)
        do { try genotype.validate() } catch let error as HNASError {
            guard case .argument(let field) = error.subject else { throw error }
            throw HNASError.file(path, "invalid genotype", why: "\(field): \(error.why)")
        }
        return genotype
    }

    private static func decode(path: String) throws -> FusionGenotype {
        let data = try FileContents.read(URL(fileURLWithPath: path), "cannot read genotype", path: path)
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("Genotype(") { return try parse(text, path: path) }
        struct Wrapped: Decodable { let genotype: FusionGenotype }
        struct WrappedText: Decodable { let genotype: String }
        let decoder = JSONDecoder()
        do {
            return try decoder.decode(FusionGenotype.self, from: data)
        } catch {
            if let wrapped = try? decoder.decode(Wrapped.self, from: data) { return wrapped.genotype }
            if let wrapped = try? decoder.decode(WrappedText.self, from: data) { return try parse(wrapped.genotype, path: path) }
            if let string = try? decoder.decode(String.self, from: data) { return try parse(string, path: path) }
            throw HNASError.file(path, "cannot read genotype",
                                 why: "not a genotype JSON (edges, steps, concat), an object with 'genotype', or 'Genotype(…)' text: \(error)")
        }
    }

    private static func parse(_ text: String, path: String) throws -> FusionGenotype {
        do { return try FusionGenotype(pythonRepr: text) } catch let error as HNASError {
            throw HNASError.file(path, "cannot read genotype", why: error.why)
        }
    }

    /// Writes `genotype` as pretty JSON, atomically.
    public static func save(_ genotype: FusionGenotype, path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(genotype), to: URL(fileURLWithPath: path), "cannot write genotype", path: path)
    }
}

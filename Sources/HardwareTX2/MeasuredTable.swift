import Foundation
import HNASKit

/// One measured latency/energy look-up table: key → cost (SPEC-hardware §1.1). Backbone tables
/// store `lat`/`enrg` as decimal strings, fusion tables as numbers; both are read as doubles.
public struct MeasuredTable: Sendable {
    /// The file name without extension, e.g. `lut_ofa_mnist_tx2`.
    public let name: String
    public let entries: [String: Cost]

    /// Parses a table from its JSON text.
    /// - Throws: `HNASError` naming the table and the first malformed entry.
    public init(json data: Data, name: String) throws {
        let raw: [String: Entry]
        do {
            raw = try JSONDecoder().decode([String: Entry].self, from: data)
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty {
            throw HNASError.file(name, "invalid cost table", why: "not a JSON object of entries")
        } catch let error as DecodingError {
            throw HNASError.file(name, "invalid cost table", why: Self.describe(error))
        }
        guard !raw.isEmpty else { throw HNASError.file(name, "invalid cost table", why: "it has no entries") }
        self.name = name
        entries = raw.mapValues { Cost(latencyMs: $0.lat, energyMJ: $0.enrg) }
    }

    /// A table bundled with hnas (see `Resources/PROVENANCE.md`), e.g. `lut_ofa_mnist_tx2`.
    public static func bundled(_ name: String) throws -> MeasuredTable {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Resources"),
              let data = try? Data(contentsOf: url) else {
            throw HNASError.file("\(name).json", "cannot read bundled cost table", why: "missing from the HardwareTX2 resources")
        }
        return try MeasuredTable(json: data, name: name)
    }

    /// The keys in sorted order.
    public var keys: [String] { entries.keys.sorted() }

    public subscript(key: String) -> Cost? { entries[key] }

    /// One `{"lat": …, "enrg": …}` value; each field may be a number or a string holding one.
    private struct Entry: Decodable {
        let lat: Double
        let enrg: Double

        enum CodingKeys: String, CodingKey { case lat, enrg }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            lat = try Self.number(container, .lat)
            enrg = try Self.number(container, .enrg)
        }

        private static func number(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> Double {
            if let text = try? container.decode(String.self, forKey: key) {
                guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite else {
                    throw DecodingError.dataCorruptedError(forKey: key, in: container,
                                                           debugDescription: "'\(text)' is not a number")
                }
                return value
            }
            return try container.decode(Double.self, forKey: key)
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [CodingKey]) -> String { keys.map(\.stringValue).joined(separator: "' field '") }
        switch error {
        case let .keyNotFound(key, context): return "entry '\(path(context.codingPath + [key]))' is missing"
        case let .typeMismatch(_, context): return "entry '\(path(context.codingPath))' must be a number or a numeric string"
        case let .valueNotFound(_, context): return "entry '\(path(context.codingPath))' is null"
        case let .dataCorrupted(context): return "entry '\(path(context.codingPath))': \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

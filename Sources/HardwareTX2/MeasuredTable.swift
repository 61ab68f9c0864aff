import Foundation
import HNASKit

/// One measured latency/energy look-up table: key → cost (SPEC-hardware §1.1). Backbone tables
/// store `lat`/`enrg` as decimal strings, fusion tables as numbers; both are read as doubles.
/// `enrg` may be `null` (a host table profiled without an energy counter → `Cost.energyMJ == nil`).
/// A top-level `"_note"` string, written by `hnas lut profile`, says how a table was measured.
public struct MeasuredTable: Sendable {
    /// The file name without extension, e.g. `lut_ofa_mnist_tx2`.
    public let name: String
    public let entries: [String: Cost]
    /// How the table was measured (the file's `"_note"`), if it says.
    public let note: String?

    /// The largest latency (ms) or energy (mJ) an entry may hold, so that sums over any architecture stay
    /// finite (README "Input limits"); 10^12 ms is 30 years.
    public static let maximumValue = 1e12

    /// The top-level key holding the note; table keys always contain `-input:`, so it cannot clash.
    static let noteKey = "_note"

    /// A table from measured entries.
    public init(entries: [String: Cost], name: String, note: String? = nil) {
        self.name = name
        self.entries = entries
        self.note = note
    }

    /// Parses a table from its JSON text.
    /// - Throws: `HNASError` naming the table and the first malformed entry.
    public init(json data: Data, name: String) throws {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty {
            throw HNASError.file(name, "invalid cost table", why: "not a JSON object of entries")
        } catch DecodingError.typeMismatch(_, let context) where context.codingPath.isEmpty {
            throw HNASError.file(name, "invalid cost table", why: "not a JSON object of entries")
        } catch let error as DecodingError {
            throw HNASError.file(name, "invalid cost table", why: Self.describe(error))
        }
        guard !file.entries.isEmpty else { throw HNASError.file(name, "invalid cost table", why: "it has no entries") }
        self.init(entries: file.entries.mapValues { Cost(latencyMs: $0.lat, energyMJ: $0.enrg) }, name: name, note: file.note)
    }

    /// Reads a table file; its name is the file name without extension.
    /// - Throws: `HNASError` naming the file when it cannot be read or is malformed.
    public static func load(path: String) throws -> MeasuredTable {
        let url = URL(fileURLWithPath: path)
        let data = try FileContents.read(url, "cannot read cost table", path: path)
        do {
            return try MeasuredTable(json: data, name: url.deletingPathExtension().lastPathComponent)
        } catch let error as HNASError {
            throw HNASError.file(path, "invalid cost table", why: error.why)
        }
    }

    /// The table in the bundled backbone tables' format: `{"<key>": {"lat": "<ms>", "enrg": "<mJ>"}}`
    /// with decimal strings (shortest round-tripping form), `null` for unmeasured energy, keys
    /// sorted, and the note (if any) under `"_note"`.
    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        func quoted(_ text: String) -> String { String(decoding: try! encoder.encode(text), as: UTF8.self) }
        var lines = note.map { ["    \(quoted(Self.noteKey)): \(quoted($0))"] } ?? []
        for key in keys {
            let cost = entries[key]!
            let energy = cost.energyMJ.map { quoted("\($0)") } ?? "null"
            lines.append("    \(quoted(key)): {\n    \"lat\": \(quoted("\(cost.latencyMs)")),\n    \"enrg\": \(energy)\n    }")
        }
        return Data(("{\n" + lines.joined(separator: ",\n") + "\n}\n").utf8)
    }

    /// Writes `jsonData()` to `path` atomically (`AtomicFile`).
    /// - Throws: `HNASError` naming the file.
    public func write(to path: String) throws {
        try AtomicFile.write(jsonData(), to: URL(fileURLWithPath: path), "cannot write cost table", path: path)
    }

    /// A table bundled with hnas (see `Resources/PROVENANCE.md`), e.g. `lut_ofa_mnist_tx2`.
    public static func bundled(_ name: String) throws -> MeasuredTable {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Resources") else {
            throw HNASError.file("\(name).json", "cannot read bundled cost table", why: "missing from the HardwareTX2 resources")
        }
        let data = try FileContents.read(url, "cannot read bundled cost table", path: url.path)
        return try MeasuredTable(json: data, name: name)
    }

    /// The keys in sorted order.
    public var keys: [String] { entries.keys.sorted() }

    public subscript(key: String) -> Cost? { entries[key] }

    /// The whole file: entries plus the optional note.
    private struct File: Decodable {
        let entries: [String: Entry]
        let note: String?

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: NameCodingKey.self)
            var entries: [String: Entry] = [:]
            var note: String?
            for key in container.allKeys {
                if key.stringValue == MeasuredTable.noteKey {
                    note = try container.decode(String.self, forKey: key)
                } else {
                    entries[key.stringValue] = try container.decode(Entry.self, forKey: key)
                }
            }
            self.entries = entries
            self.note = note
        }
    }

    /// One `{"lat": …, "enrg": …}` value; each field may be a number or a string holding one, and
    /// `enrg` may be `null`.
    private struct Entry: Decodable {
        let lat: Double
        let enrg: Double?

        enum CodingKeys: String, CodingKey { case lat, enrg }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            lat = try Self.number(container, .lat)
            guard container.contains(.enrg) else {
                throw DecodingError.keyNotFound(CodingKeys.enrg, .init(codingPath: container.codingPath, debugDescription: "missing"))
            }
            enrg = try container.decodeNil(forKey: .enrg) ? nil : try Self.number(container, .enrg)
        }

        private static func number(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> Double {
            let value: Double
            if let text = try? container.decode(String.self, forKey: key) {
                guard let parsed = Double(text.trimmingCharacters(in: .whitespaces)) else {
                    throw DecodingError.dataCorruptedError(forKey: key, in: container,
                                                           debugDescription: "'\(text)' is not a number")
                }
                value = parsed
            } else {
                value = try container.decode(Double.self, forKey: key)
            }
            guard value.isFinite, value >= 0, value <= MeasuredTable.maximumValue else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container,
                                                       debugDescription: "\(value) is not a number between 0 and \(MeasuredTable.maximumValue)")
            }
            return value
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

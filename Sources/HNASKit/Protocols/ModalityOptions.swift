import Foundation

/// The preprocessing a pipeline asks of a modality plugin for one of its inputs (colour model, size and
/// normalisation of images, the kind of text input, …), as a JSON object whose keys only that modality reads.
///
/// The pipeline says what its inputs need (`PipelineInput.options`), the modality plugin interprets it: so a
/// new pipeline chooses its preprocessing without editing a modality plugin, and a model directory records
/// it (`model.json`) to preprocess `hnas predict`'s inputs the same way.
public struct ModalityOptions: Codable, Hashable, Sendable, ExpressibleByDictionaryLiteral {
    public var values: [String: JSONValue]

    public init(_ values: [String: JSONValue] = [:]) {
        self.values = values
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        values = Dictionary(elements) { $1 }
    }

    public init(from decoder: Decoder) throws {
        values = try decoder.singleValueContainer().decode([String: JSONValue].self)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(values)
    }

    public subscript(key: String) -> JSONValue? { values[key] }

    /// Refuses keys `modality` does not read (a misspelt option must not be silently ignored).
    /// - Throws: `HNASError` naming the modality and the first unknown key.
    public func requireKeys(in known: [String], modality: String) throws {
        if let unknown = values.keys.sorted().first(where: { !known.contains($0) }) {
            throw failure(modality, unknown, "is not an option of the \(modality) modality (options: "
                          + (known.isEmpty ? "none" : known.joined(separator: ", ")) + ")")
        }
    }

    /// The string `key`, or nil when absent.
    /// - Throws: `HNASError` naming the key when it is not a string.
    public func string(_ key: String, modality: String) throws -> String? {
        switch values[key] {
        case nil: return nil
        case .string(let s)?: return s
        case let other?: throw failure(modality, key, "must be a string, got \(Self.text(other))")
        }
    }

    /// The positive whole number `key`, or nil when absent.
    /// - Throws: `HNASError` naming the key when it is not a positive whole number.
    public func positiveInt(_ key: String, modality: String) throws -> Int? {
        switch values[key] {
        case nil: return nil
        case .number(let x)? where x >= 1 && x.rounded() == x && x < 1e9: return Int(x)
        case let other?: throw failure(modality, key, "must be a positive whole number, got \(Self.text(other))")
        }
    }

    /// The list of numbers `key`, or nil when absent.
    /// - Throws: `HNASError` naming the key when it is not a list of numbers.
    public func numbers(_ key: String, modality: String) throws -> [Double]? {
        switch values[key] {
        case nil: return nil
        case .array(let items)?:
            return try items.map { item in
                guard case .number(let x) = item else { throw failure(modality, key, "must be a list of numbers, got \(Self.text(item))") }
                return x
            }
        case let other?: throw failure(modality, key, "must be a list of numbers, got \(Self.text(other))")
        }
    }

    /// `value` as JSON text, for messages.
    private static func text(_ value: JSONValue) -> String {
        (try? String(decoding: JSONEncoder().encode(value), as: UTF8.self)) ?? "\(value)"
    }

    /// The error of an option `key` of `modality`: `invalid <modality> option '<key>': <why>`.
    public func failure(_ modality: String, _ key: String, _ why: String) -> HNASError {
        HNASError("invalid \(modality) option", .argument(key), why: why)
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
                     ExpressibleByArrayLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

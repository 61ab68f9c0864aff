import Foundation

/// A complete multimodal architecture as a JSON file: per modality the original's subnet dict
/// (`ks`, `e`, `d`), plus the fusion macro-architecture and genotype. The README's
/// "Architecture JSON" section documents the format.
///
/// ```json
/// {"dataset": "avmnist",
///  "backbones": {"image": {"ks": [5,5,5,5], "e": [3,3,4,3], "d": [2]},
///                "audio": {"ks": [3,3,7,3], "e": [3,3,3,6], "d": [2]}},
///  "fusion": {"steps": 1, "node_steps": 1,
///             "genotype": {"edges": [["skip", 3], ["skip", 6]],
///                          "steps": [{"inner_edges": [["skip", 1], ["skip", 0]],
///                                     "inner_steps": ["ConcatFC"], "inner_concat": [2]}],
///                          "concat": [8]}}}
/// ```
public struct Architecture: Hashable, Codable, Sendable {
    /// The dataset the architecture was searched for (`avmnist`, `mmimdb`, `memes`), if recorded.
    public var dataset: String?
    /// Modality name → subnet config of that modality's backbone.
    public var backbones: [String: BackboneConfig]
    public var fusion: FusionArchitecture?

    public init(dataset: String? = nil, backbones: [String: BackboneConfig], fusion: FusionArchitecture?) {
        self.dataset = dataset
        self.backbones = backbones
        self.fusion = fusion
    }

    /// Decodes an architecture from JSON.
    /// - Throws: `HNASError` naming `source` and the offending field (e.g. `backbones.image.ks[2]`).
    public static func decode(_ data: Data, source: String) throws -> Architecture {
        do {
            return try JSONDecoder().decode(Architecture.self, from: data)
        } catch let error as DecodingError {
            throw HNASError.file(source, "invalid architecture JSON", why: describe(error))
        }
    }

    /// Reads and decodes the architecture file at `path`.
    public static func load(path: String) throws -> Architecture {
        let data = try FileContents.read(URL(fileURLWithPath: path), "cannot read architecture", path: path)
        return try decode(data, source: path)
    }

    /// Checks every modality's config against its backbone's search space and the fusion part
    /// against its macro-architecture. `backbones` maps each expected modality to its backbone.
    /// - Throws: `HNASError` naming the field, the value and the allowed set.
    public func validate(backbones expected: [String: any Backbone]) throws {
        for (modality, backbone) in expected.sorted(by: { $0.key < $1.key }) {
            guard let config = backbones[modality] else {
                throw HNASError.argument("backbones.\(modality)", why: "missing (this dataset needs "
                                         + expected.keys.sorted().joined(separator: ", ") + ")")
            }
            do {
                try backbone.validate(config)
            } catch let error as HNASError {
                throw HNASError.argument("backbones.\(modality)", why: error.why)
            }
        }
        try fusion?.validate()
    }

    /// The encoded JSON, keys sorted so files diff cleanly.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// `a.b[2].c` for a decoding path.
    private static func fieldPath(_ path: [CodingKey], _ last: CodingKey? = nil) -> String {
        let keys = path + (last.map { [$0] } ?? [])
        guard !keys.isEmpty else { return "(top level)" }
        return keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }
            .joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }

    /// A one-line description of `error` naming the field path (e.g. `'fusion.genotype.steps[1].inner_steps' must be …`).
    public static func describe(_ error: DecodingError) -> String {
        switch error {
        case let .keyNotFound(key, context):
            return "field '\(fieldPath(context.codingPath, key))' is missing"
        case let .typeMismatch(type, context):
            return "field '\(fieldPath(context.codingPath))' must be \(typeName(type))"
        case let .valueNotFound(type, context):
            return "field '\(fieldPath(context.codingPath))' must be \(typeName(type)), found null"
        case let .dataCorrupted(context):
            let detail = (context.underlyingError as NSError?)?.localizedDescription ?? context.debugDescription
            return context.codingPath.isEmpty ? "not valid JSON (\(detail))"
                : "field '\(fieldPath(context.codingPath))': \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: return "an integer"
        case is String.Type: return "a string"
        case is [Int].Type: return "a list of integers"
        case is [String: [Int]].Type: return "an object of integer lists"
        default: return "of type \(type)"
        }
    }
}

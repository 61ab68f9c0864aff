/// A subnet configuration: the original's genome dictionary, e.g. `{"ks": [7,5,3,3], "e": [6,4,4,3], "d": [3]}`.
///
/// Genes are named lists of integers so every backbone family (OFA MobileNetV3, Maxout, a user's
/// own) shares one `Codable`, `Hashable` type that encodes exactly as the original's dict.
public struct BackboneConfig: Hashable, Codable, Sendable, CustomStringConvertible {
    public var genes: [String: [Int]]

    public init(_ genes: [String: [Int]]) {
        self.genes = genes
    }

    public subscript(gene: String) -> [Int]? {
        get { genes[gene] }
        set { genes[gene] = newValue }
    }

    /// Decodes the genome; a gene value with a fraction (`"ks": [5.5]`) is reported at its field as
    /// "not an integer" (Foundation's JSON decoder on Linux only says the data is not valid JSON).
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        do {
            genes = try container.decode([String: [Int]].self)
        } catch let error where !(error is DecodingError) {
            // Foundation on Linux throws its internal "number is not representable" error here.
            guard let numbers = try? container.decode([String: [Double]].self) else { throw error }
            for (gene, values) in numbers.sorted(by: { $0.key < $1.key }) {
                for (i, value) in values.enumerated() where Int(exactly: value) == nil {
                    throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath + [NameCodingKey(stringValue: gene), GeneIndex(i)],
                                                            debugDescription: "\(value) is not an integer"))
                }
            }
            throw error
        }
    }

    /// The position of a value in a gene list, for decoding errors.
    private struct GeneIndex: CodingKey {
        let intValue: Int?
        var stringValue: String { "\(intValue!)" }
        init(_ index: Int) { intValue = index }
        init?(stringValue: String) { nil }
        init?(intValue: Int) { self.intValue = intValue }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(genes)
    }

    /// Genes in sorted key order, e.g. `d=[3] e=[6,4,4,3] ks=[7,5,3,3]`.
    public var description: String {
        genes.keys.sorted().map { "\($0)=\(genes[$0]!)" }.joined(separator: " ")
    }
}

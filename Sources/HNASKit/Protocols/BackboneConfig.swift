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

    public init(from decoder: Decoder) throws {
        genes = try decoder.singleValueContainer().decode([String: [Int]].self)
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

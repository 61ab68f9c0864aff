/// A coding key for JSON objects whose keys are data rather than fields (network names, table
/// keys): decode with `container(keyedBy: NameCodingKey.self)` and walk `allKeys`.
public struct NameCodingKey: CodingKey {
    public let stringValue: String
    public init(stringValue: String) { self.stringValue = stringValue }
    public var intValue: Int? { nil }
    public init?(intValue: Int) { nil }
}

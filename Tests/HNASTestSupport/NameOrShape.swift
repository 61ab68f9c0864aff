/// An element of the fixtures' `[name, shape]` state-dict pairs: a JSON string or an integer array.
public enum NameOrShape: Decodable, Equatable {
    case name(String), shape([Int])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) { self = .name(s) } else { self = .shape(try c.decode([Int].self)) }
    }

    public var name: String? { if case .name(let s) = self { return s } else { return nil } }
    public var shape: [Int]? { if case .shape(let s) = self { return s } else { return nil } }
}

/// A tensor encodes as its shape and its scalars (the tape node is not part of a value), so
/// `Codable` state such as `OptimizerState` can carry tensors.
extension Tensor: Codable {
    private enum CodingKeys: String, CodingKey { case shape, scalars }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let shape = try c.decode([Int].self, forKey: .shape), scalars = try c.decode([Float].self, forKey: .scalars)
        do { try self.init(shape: shape, scalars: scalars) } catch {
            throw DecodingError.dataCorruptedError(forKey: .scalars, in: c, debugDescription: "\(error)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(shape, forKey: .shape)
        try c.encode(scalars, forKey: .scalars)
    }
}

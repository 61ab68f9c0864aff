/// Inverted dropout with its own seeded stream (identity in evaluation mode or when p = 0).
public final class Dropout: Layer {
    public let probability: Float
    public var generator: SeededGenerator
    public var isTraining = true

    public init(probability: Float, generator: SeededGenerator) {
        self.probability = probability
        self.generator = generator
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        guard isTraining, probability > 0 else { return x }
        return try x.dropout(probability: probability, generator: &generator)
    }
}

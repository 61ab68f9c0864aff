/// Inverted dropout with its own seeded stream (identity in evaluation mode or when p = 0).
///
/// With a `shard`, the input is this process's rows of a global batch: the mask is drawn for the
/// whole batch and the shard's rows are applied, so data-parallel processes together drop exactly
/// what one process dropping the whole batch would.
public final class Dropout: Layer {
    public let probability: Float
    public var generator: SeededGenerator
    public var isTraining = true
    /// This process's rows of the global batch (nil: the input is the whole batch).
    public var shard: BatchShard?

    public init(probability: Float, generator: SeededGenerator) {
        self.probability = probability
        self.generator = generator
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        guard isTraining, probability > 0 else { return x }
        return try x.dropout(probability: probability, generator: &generator, shard: shard)
    }
}

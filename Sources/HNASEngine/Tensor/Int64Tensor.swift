/// An Int64 tensor as stored in weight files (e.g. PyTorch's `num_batches_tracked`).
///
/// The engine computes only in Float32; integer data inside the engine (labels, token ids) is
/// passed as `[Int]`. This type exists so safetensors files keep their I64 entries exactly.
public struct Int64Tensor: Equatable, Sendable {
    public let shape: [Int]
    public let scalars: [Int64]

    /// - Throws: `HNASError` when the element count does not match the shape.
    public init(shape: [Int], scalars: [Int64]) throws {
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == scalars.count else {
            throw HNASError.op("Int64Tensor.init", why: "shape \(shape) does not hold \(scalars.count) elements")
        }
        self.shape = shape
        self.scalars = scalars
    }
}

/// A Float32 tensor: a shape and its scalars in row-major (NCHW) order.
///
/// This is the value type every module exchanges. The tensor engine extends it with
/// reference-counted storage, autodiff and kernels; `init(shape:scalars:)`, `shape` and
/// `scalars` are the stable surface plugins rely on.
public struct Tensor: Equatable {
    /// Sizes of each dimension, outermost first.
    public let shape: [Int]
    /// The elements in row-major order; `scalars.count` equals the product of `shape`.
    public let scalars: [Float]

    /// Wraps `scalars` with `shape`.
    /// - Throws: `HNASError` when the element count does not match the shape.
    public init(shape: [Int], scalars: [Float]) throws {
        let count = shape.reduce(1, *)
        guard shape.allSatisfy({ $0 >= 0 }), count == scalars.count else {
            throw HNASError.op("Tensor.init", why: "shape \(shape) holds \(count) elements but \(scalars.count) were given")
        }
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor of zeros.
    public init(zeros shape: [Int]) {
        self.shape = shape
        self.scalars = [Float](repeating: 0, count: shape.reduce(1, *))
    }

    /// The number of elements.
    public var count: Int { scalars.count }
}

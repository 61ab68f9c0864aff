/// A batch: each input's tensors and the targets stacked along a new leading axis of size `count`.
public struct Batch: Equatable {
    /// One tensor per dataset input, shape `[count] + sample shape`.
    public let inputs: [Tensor]
    /// Shape `[count]` (class indices as floats) or `[count, classes]` (multi-hot).
    public let targets: Tensor
    /// The positions of the batch's samples in their split, in batch order.
    public let indices: [Int]

    /// The number of samples.
    public var count: Int { indices.count }

    /// The class indices of a single-label batch.
    public var classIndices: [Int] { targets.scalars.map { Int($0) } }

    /// Stacks `samples` (taken from positions `indices` of `split`).
    /// - Throws: `HNASError` naming the first sample whose input shape differs from the first sample's.
    public init(stacking samples: [LoadedSample], indices: [Int], split: DatasetSplit) throws {
        precondition(!samples.isEmpty && samples.count == indices.count, "a batch needs one index per sample")
        let inputCount = samples[0].inputs.count
        inputs = try (0..<inputCount).map { input in
            try Batch.stack(samples.map { $0.inputs[input] }, indices: indices, split: split, what: "input \(input)")
        }
        targets = try Batch.stack(samples.map(\.target), indices: indices, split: split, what: "target")
        self.indices = indices
    }

    private static func stack(_ tensors: [Tensor], indices: [Int], split: DatasetSplit, what: String) throws -> Tensor {
        let shape = tensors[0].shape
        var scalars = [Float]()
        scalars.reserveCapacity(tensors.count * tensors[0].count)
        for (position, tensor) in tensors.enumerated() {
            guard tensor.shape == shape else {
                let sample = split.samples[indices[position]]
                throw HNASError("cannot batch", .file(sample.inputs.first?.location ?? sample.id),
                                why: "\(what) has shape \(tensor.shape) but sample \(split.samples[indices[0]].id) has \(shape)")
            }
            scalars.append(contentsOf: tensor.scalars)
        }
        return try Tensor(shape: [tensors.count] + shape, scalars: scalars)
    }
}

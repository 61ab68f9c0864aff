extension TensorDataset {
    /// `split` held in memory: itself when it already is, else every input decoded now, in split order.
    /// - Throws: `HNASError` when a sample cannot be decoded.
    public init(materializing split: any LabelledSplit) throws {
        if let data = split as? TensorDataset {
            self = data
            return
        }
        let x = try split.inputs(Array(0..<split.count))
        if let multiHot = split.multiHot {
            try self.init(inputs: x, multiHot: multiHot)
        } else {
            try self.init(inputs: x, labels: split.labels)
        }
    }

    /// Decodes input `input` (e.g. `"image"`) and the labels (class indices, or multi-hot rows for a
    /// multi-label dataset) of split `split` of `dataset` into memory, in split order, on `threads`
    /// decoding threads.
    /// - Throws: `HNASError` for an unknown input or split, or a decoding error.
    public init(dataset: Dataset, split: String, input: String, threads: Int = 1) throws {
        guard let index = dataset.inputs.firstIndex(where: { $0.name == input }) else {
            throw HNASError.argument("--modality", why: "\(dataset.name) has no input '\(input)' (inputs: \(dataset.inputs.map(\.name).joined(separator: ", ")))")
        }
        let loader = try DataLoader(dataset: dataset, split: split, options: DataLoader.Options(batchSize: 128, threads: threads),
                                    generator: SeededGenerator(seed: 0))
        let stream = loader.epoch()
        var parts: [Tensor] = [], targets: [Tensor] = []
        while let batch = try stream.next() {
            parts.append(batch.inputs[index])
            targets.append(batch.targets)
        }
        guard !parts.isEmpty else { throw HNASError.argument("split", why: "\(dataset.name) split '\(split)' is empty") }
        let inputs = try Tensor.concat(parts, axis: 0)
        if dataset.isMultiLabel {
            try self.init(inputs: inputs, multiHot: try Tensor.concat(targets, axis: 0))
        } else {
            try self.init(inputs: inputs, labels: targets.flatMap { $0.scalars.map { Int($0) } })
        }
    }
}

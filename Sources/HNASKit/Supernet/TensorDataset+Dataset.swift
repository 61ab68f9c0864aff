extension TensorDataset {
    /// Decodes input `input` (e.g. `"image"`) and the class labels of split `split` of `dataset`
    /// into memory, in split order, on `threads` decoding threads.
    /// - Throws: `HNASError` for multi-label datasets, an unknown input or split, or a decoding error.
    public init(dataset: Dataset, split: String, input: String, threads: Int = 1) throws {
        guard !dataset.isMultiLabel else {
            throw HNASError.argument("--dataset", why: "\(dataset.name) is multi-label; supernet training and accuracy need single-label classes")
        }
        guard let index = dataset.inputs.firstIndex(where: { $0.name == input }) else {
            throw HNASError.argument("--modality", why: "\(dataset.name) has no input '\(input)' (inputs: \(dataset.inputs.map(\.name).joined(separator: ", ")))")
        }
        let loader = try DataLoader(dataset: dataset, split: split, options: DataLoader.Options(batchSize: 128, threads: threads),
                                    generator: SeededGenerator(seed: 0))
        let stream = loader.epoch()
        var parts: [Tensor] = [], labels: [Int] = []
        while let batch = try stream.next() {
            parts.append(batch.inputs[index])
            labels += batch.classIndices
        }
        guard !parts.isEmpty else { throw HNASError.argument("split", why: "\(dataset.name) split '\(split)' is empty") }
        try self.init(inputs: try Tensor.concat(parts, axis: 0), labels: labels)
    }
}

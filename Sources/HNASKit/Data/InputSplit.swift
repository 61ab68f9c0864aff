import Foundation

/// One split of one input as the search reads it: the labels in memory, the inputs either decoded once and
/// held (`TensorDataset`) or decoded batch by batch from the dataset's files when asked for (large inputs
/// such as MM-IMDB's 3×224×224 posters, ≈ 14 GB decoded for the whole dataset; only the backbones' fusion
/// features are then cached).
///
/// Supernet training reads it as any `LabelledSplit`; batch index lists follow `TensorDataset`'s rules, so
/// both kinds give the same batches for the same seed.
public struct InputSplit: LabelledSplit {
    private enum Storage {
        case memory(TensorDataset)
        case streamed(dataset: Dataset, samples: [Sample], input: Int, threads: Int)
    }

    private let storage: Storage
    /// Class indices (empty for multi-label data).
    public let labels: [Int]
    /// Multi-hot targets [N, labels] of multi-label data, else nil.
    public let multiHot: Tensor?
    public let count: Int
    /// The shape of one decoded input.
    public let sampleShape: [Int]

    /// Inputs held in memory.
    public init(_ data: TensorDataset) {
        storage = .memory(data)
        labels = data.labels
        multiHot = data.multiHot
        count = data.count
        sampleShape = data.sampleShape
    }

    /// Input `input` of `samples` of `dataset`, decoded on demand on `threads` threads; the labels are decoded
    /// now (and the first input, for its shape).
    /// - Throws: `HNASError` for an empty split, an unknown input, or a sample whose label or first input cannot be decoded.
    public init(dataset: Dataset, samples: [Sample], input: String, threads: Int) throws {
        guard let index = dataset.inputs.firstIndex(where: { $0.name == input }) else {
            throw HNASError.argument("input", why: "\(dataset.name) has no input '\(input)' (inputs: \(dataset.inputs.map(\.name).joined(separator: ", ")))")
        }
        guard let first = samples.first else { throw HNASError.argument("split", why: "\(dataset.name) has an empty split") }
        storage = .streamed(dataset: dataset, samples: samples, input: index, threads: max(1, threads))
        let targets = try samples.map { try dataset.decodeLabel(of: $0) }
        if dataset.isMultiLabel {
            multiHot = try Tensor.stack(targets)
            labels = []
        } else {
            labels = targets.map { Int($0.scalars[0]) }
            multiHot = nil
        }
        count = samples.count
        sampleShape = try dataset.decodeInput(index, of: first).shape
    }

    /// Split `split` of `input` of `dataset` as a pipeline reads it: decoded on demand when the pipeline streams
    /// the input (`PipelineInput.streamed`), else decoded now and held.
    /// - Throws: `HNASError` naming the split when it is empty, or a decoding error.
    public init(dataset: Dataset, split: String, input: PipelineInput, threads: Int) throws {
        let samples = try dataset.split(split).samples
        guard !samples.isEmpty else { throw HNASError.argument("split", why: "\(dataset.name) split '\(split)' is empty") }
        let streamed = try InputSplit(dataset: dataset, samples: samples, input: input.modality, threads: threads)
        self = input.streamed ? streamed : InputSplit(try streamed.materialized())
    }

    /// Whether the inputs are decoded on demand rather than held.
    public var isStreamed: Bool {
        if case .streamed = storage { return true }
        return false
    }

    /// The inputs of `rows`, stacked [rows, …].
    /// - Throws: `HNASError` when a streamed sample cannot be decoded or has another shape than the first.
    public func inputs(_ rows: [Int]) throws -> Tensor {
        switch storage {
        case .memory(let data):
            return data.batch(rows).inputs
        case .streamed(let dataset, let samples, let input, let threads):
            var decoded = [Result<Tensor, Error>](repeating: .failure(HNASError.argument("input", why: "not decoded")), count: rows.count)
            let chunk = (rows.count + threads - 1) / threads
            decoded.withUnsafeMutableBufferPointer { out in
                let base = out.baseAddress!
                DispatchQueue.concurrentPerform(iterations: min(threads, rows.count)) { t in
                    for k in (t * chunk)..<min(rows.count, (t + 1) * chunk) {
                        base[k] = Result { try dataset.decodeInput(input, of: samples[rows[k]]) }
                    }
                }
            }
            let tensors = try decoded.map { try $0.get() }
            for (tensor, row) in zip(tensors, rows) where tensor.shape != sampleShape {
                throw HNASError("wrong input shape in", .file(samples[row].id), why: "\(tensor.shape), the split's first sample has \(sampleShape)")
            }
            return try Tensor.stack(tensors)
        }
    }

    /// The samples at `rows` as a split of the same kind.
    /// - Throws: `HNASError` when `rows` is empty.
    public func subset(_ rows: [Int]) throws -> InputSplit {
        switch storage {
        case .memory(let data):
            let x = data.batch(rows).inputs
            if let multiHot {
                return InputSplit(try TensorDataset(inputs: x, multiHot: try TensorDataset(inputs: multiHot, labels: Array(repeating: 0, count: count)).batch(rows).inputs))
            }
            return InputSplit(try TensorDataset(inputs: x, labels: data.batch(rows).labels))
        case .streamed(let dataset, let samples, let input, let threads):
            return try InputSplit(dataset: dataset, samples: rows.map { samples[$0] }, input: dataset.inputs[input].name, threads: threads)
        }
    }

    /// The whole split in memory (what a trainer needs); streamed inputs are decoded now.
    public func materialized() throws -> TensorDataset {
        switch storage {
        case .memory(let data):
            return data
        case .streamed:
            return try TensorDataset(materializing: self)
        }
    }

    /// The fusion search's labels of this split: class indices among `classes`, or the multi-hot rows.
    public func fusionLabels(classes: Int) -> FusionLabels {
        multiHot.map { .multiLabel($0) } ?? .classes(labels, classes: classes)
    }
}

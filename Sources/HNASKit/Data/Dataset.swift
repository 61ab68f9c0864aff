import Foundation

/// A multimodal dataset: named splits of aligned samples, the inputs that decode them, and the labels.
///
/// Pipelines (`AVMNIST`, `MMIMDB`, `Memes`) build a `Dataset` from a folder on disk after checking
/// its layout; `DataLoader` turns a split into batches. Single-label datasets have class indices
/// (`SampleLabel.index`); multi-label datasets read a multi-hot vector per sample (`SampleLabel.file`)
/// through `labelDecoder`.
public struct Dataset {
    /// The dataset's key, its pipeline's name (`"avmnist"`, …).
    public let name: String
    /// The inputs of every sample, in the order of `Sample.inputs`.
    public let inputs: [DatasetInput]
    /// The class (or, for multi-label data, label column) names.
    public let classNames: [String]
    /// Whether a sample may carry several labels (multi-hot targets).
    public let isMultiLabel: Bool
    /// The splits in their natural order (e.g. train, test).
    public let splits: [DatasetSplit]
    /// Reads a `SampleLabel.file` target as a multi-hot vector of `classNames.count` values.
    public let labelDecoder: ((URL) throws -> Tensor)?

    public init(name: String, inputs: [DatasetInput], classNames: [String], isMultiLabel: Bool,
                splits: [DatasetSplit], labelDecoder: ((URL) throws -> Tensor)? = nil) {
        self.name = name
        self.inputs = inputs
        self.classNames = classNames
        self.isMultiLabel = isMultiLabel
        self.splits = splits
        self.labelDecoder = labelDecoder
    }

    /// The split called `name`.
    /// - Throws: `HNASError` listing the available splits when there is none by that name.
    public func split(_ name: String) throws -> DatasetSplit {
        guard let split = splits.first(where: { $0.name == name }) else {
            throw HNASError.argument("--split", why: "dataset '\(self.name)' has no split '\(name)' (it has \(splits.map(\.name).joined(separator: ", ")))")
        }
        return split
    }

    /// Decodes input `index` of `sample`.
    public func decodeInput(_ index: Int, of sample: Sample) throws -> Tensor {
        try inputs[index].decode(sample.inputs[index])
    }

    /// The target of `sample` as a tensor: shape `[]` holding the class index for single-label data,
    /// shape `[classNames.count]` (multi-hot) for multi-label data.
    /// - Throws: `HNASError` naming the sample when the index is out of range or the multi-hot vector
    ///   has the wrong length or values other than 0 and 1.
    public func decodeLabel(of sample: Sample) throws -> Tensor {
        switch sample.label {
        case .index(let index):
            guard classNames.indices.contains(index) else {
                throw HNASError("label out of range in", .file(sample.id), why: "class \(index) is not in 0..<\(classNames.count)")
            }
            return try Tensor(shape: [], scalars: [Float(index)])
        case .file(let url):
            guard let labelDecoder else {
                throw HNASError("cannot read label", .file(url.relativePath), why: "dataset '\(name)' has no label decoder")
            }
            let target = try labelDecoder(url)
            guard target.shape == [classNames.count] else {
                throw HNASError("wrong label shape in", .file(url.relativePath), why: "expected [\(classNames.count)], found \(target.shape)")
            }
            guard target.scalars.allSatisfy({ $0 == 0 || $0 == 1 }) else {
                throw HNASError("label out of range in", .file(url.relativePath), why: "a multi-hot label holds values other than 0 and 1")
            }
            return target
        }
    }

    /// Decodes every input and the label of `sample`.
    public func load(_ sample: Sample) throws -> LoadedSample {
        LoadedSample(inputs: try inputs.indices.map { try decodeInput($0, of: sample) },
                     target: try decodeLabel(of: sample))
    }
}

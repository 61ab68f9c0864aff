import Foundation

/// One aligned sample of a dataset: one input file per modality plus its label.
///
/// Samples only name files; decoding happens in the loader (through the dataset's inputs), so a
/// dataset of tens of thousands of samples is cheap to list and check.
public struct Sample: Equatable, Sendable {
    /// A short identifier for messages, e.g. `train/3#17` or an IMDb id.
    public let id: String
    /// One file per input, in the order of `Dataset.inputs`.
    public let files: [URL]
    /// The target.
    public let label: SampleLabel

    public init(id: String, files: [URL], label: SampleLabel) {
        self.id = id
        self.files = files
        self.label = label
    }
}

/// The target of a sample.
public enum SampleLabel: Equatable, Sendable {
    /// A single-label class index in `0..<classNames.count` (AV-MNIST, Memes).
    case index(Int)
    /// A multi-hot vector stored in a file, read by the dataset's label decoder (MM-IMDB `label_k.npy`).
    case file(URL)
}

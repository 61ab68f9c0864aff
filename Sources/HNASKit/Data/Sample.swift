import Foundation

/// One aligned sample of a dataset: one source per input (modality) plus its label.
///
/// Samples only name their sources; decoding happens in the loader (through the dataset's inputs),
/// so a dataset of tens of thousands of samples is cheap to list and check.
public struct Sample: Equatable, Sendable {
    /// A short identifier for messages, e.g. `train/3/17` or an IMDb id.
    public let id: String
    /// One source per input, in the order of `Dataset.inputs`.
    public let inputs: [SampleSource]
    /// The target.
    public let label: SampleLabel

    public init(id: String, inputs: [SampleSource], label: SampleLabel) {
        self.id = id
        self.inputs = inputs
        self.label = label
    }

    /// A sample whose inputs are all files.
    public init(id: String, files: [URL], label: SampleLabel) {
        self.init(id: id, inputs: files.map(SampleSource.file), label: label)
    }
}

/// Where one input of a sample comes from.
public enum SampleSource: Equatable, Sendable {
    /// A file decoded by the input's modality (image, sound, `.npy` array, …).
    case file(URL)
    /// Text given inline by the dataset's annotations (a meme's OCR text), decoded by an
    /// `InlineTextModality`.
    case text(String)

    /// The file's path, or the text in quotes: what messages about this input name.
    public var location: String {
        switch self {
        case .file(let url): return url.relativePath
        case .text(let text): return "\"\(text)\""
        }
    }

    /// The file's name (last path component), or the text itself.
    public var name: String {
        switch self {
        case .file(let url): return url.lastPathComponent
        case .text(let text): return text
        }
    }
}

/// The target of a sample.
public enum SampleLabel: Equatable, Sendable {
    /// A single-label class index in `0..<classNames.count` (AV-MNIST, Memes).
    case index(Int)
    /// A multi-hot vector stored in a file, read by the dataset's label decoder (MM-IMDB `label_k.npy`).
    case file(URL)
}

/// A named list of samples, e.g. `train`.
public struct DatasetSplit: Equatable, Sendable {
    public let name: String
    public let samples: [Sample]

    public init(name: String, samples: [Sample]) {
        self.name = name
        self.samples = samples
    }
}

import HNASKit

/// A fusion search whose results are DARTS genotypes realised as `DARTSFusionModel`s (`darts` and
/// `random`): both rebuild models and read genotypes the same way.
protocol GenotypeFusionSearch: FusionSearch {}

extension GenotypeFusionSearch {
    public func model(_ spec: FusionModelSpec) throws -> any FusionModel { try DARTSFusionModel(spec: spec) }

    public func operators(of architecture: FusionArchitecture) throws -> [String] {
        try FusionGenotype(architecture: architecture).operators
    }
}

extension FusionSearchResult {
    /// The DARTS genotype of a result of the `darts` or `random` search (callers that know only
    /// HNASKit use `architecture`, `genotypeText` and `model`).
    /// - Precondition: the result comes from one of those searches (a programmer error otherwise).
    public var genotype: FusionGenotype {
        do { return try FusionGenotype(architecture: architecture) } catch {
            preconditionFailure("not a DARTS genotype result: \(error)")
        }
    }
}

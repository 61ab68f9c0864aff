import HNASKit

extension SearchState {
    /// The archive's objective rows `[100 − accuracy, latency, energy]` (energy left out when the hardware
    /// model has none), all minimised, in archive order — e.g. to compare runs by hypervolume.
    /// - Throws: `HNASError` when some results have an energy and others not.
    public func archiveObjectives() throws -> ObjectiveMatrix {
        try Objectives.rows(accuracies: archive.map(\.accuracy), costs: archive.map(\.cost), what: "archive")
    }

    /// The hypervolume of the archive's Pareto front up to `reference` (`[100 − accuracy, latency, energy]` units).
    /// - Throws: `HNASError` for a reference of the wrong length.
    public func frontHypervolume(reference: [Double]) throws -> Double {
        try Hypervolume.of(archiveObjectives().rows(paretoFront), reference: reference)
    }
}

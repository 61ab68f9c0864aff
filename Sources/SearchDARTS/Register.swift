import HNASKit

/// Adds this target's plugins to `registry`; the `hnas` executable calls it at start-up.
public func register(into registry: inout Registry) {
    registry.fusionSearches.register("darts", summary: "first-order DARTS over fusion cells (BM-NAS/Harmonic-NAS space)") {
        DARTSFusionSearch()
    }
    registry.fusionSearches.register("random", summary: "a random derivable genotype, retrained like DARTS' result") {
        RandomFusionSearch()
    }
}

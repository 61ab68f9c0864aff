import HNASKit

/// Adds this target's plugins to `registry`; the `hnas` executable calls it at start-up.
public func register(into registry: inout Registry) {
    registry.searchStrategies.register(
        "evolution", summary: "NSGA-II evolution over backbone configs with fusion search per pair (the original's outer loop)"
    ) { EvolutionSearch() }
    registry.searchStrategies.register(
        "random", summary: "random backbone configs and fusion macros with the evolution's fusion-search budget"
    ) { RandomSearch() }
}

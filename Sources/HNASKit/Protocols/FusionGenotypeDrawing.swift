/// A fusion search that can draw the genotypes it returns, e.g. as a Graphviz DOT graph.
///
/// The search orchestration writes `best/<id>/fusion.dot` through this protocol, so it never needs to
/// know a fusion search's operator names or graph layout; a fusion search that cannot draw simply does
/// not conform and no drawing is written.
public protocol FusionGenotypeDrawing {
    /// The DOT source of `genotype` whose input nodes are named `inputNames` (e.g. `Image_1 … Audio_4`,
    /// consecutive names with the same prefix drawn as one cluster).
    /// - Throws: `HNASError` when the genotype does not fit the input nodes.
    func dotSource(of genotype: FusionGenotype, inputNames: [String]) throws -> String
}

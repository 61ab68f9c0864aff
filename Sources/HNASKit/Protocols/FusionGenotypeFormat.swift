/// A fusion search that can read back the genotype text it reports (`FusionSearchResult.genotypeText`, kept
/// in the search state) as its structured form and draw it.
///
/// The search orchestration writes `best/<id>/arch.json` (`fusion.genotype`) and `best/<id>/fusion.dot`
/// through this protocol, so it never needs to know a fusion search's genotype format or operator names; for
/// a fusion search that does not conform, `arch.json` keeps the genotype text and no drawing is written.
public protocol FusionGenotypeFormat {
    /// The genotype `text` as the plugin's JSON (what `FusionArchitecture.genotype` holds).
    /// - Throws: `HNASError` when `text` is not a genotype of this plugin.
    func genotypeJSON(_ text: String) throws -> JSONValue

    /// The DOT source of the genotype `text` whose input nodes are named `inputNames` (e.g. `Image_1 … Audio_4`,
    /// consecutive names with the same prefix drawn as one cluster).
    /// - Throws: `HNASError` when the genotype is invalid or does not fit the input nodes.
    func dotSource(genotypeText text: String, inputNames: [String]) throws -> String
}

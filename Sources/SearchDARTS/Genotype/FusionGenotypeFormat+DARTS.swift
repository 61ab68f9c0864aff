import HNASKit

/// The DARTS-space searches read their `Genotype(...)` text back as a `FusionGenotype` and draw it with
/// `GenotypeDOT` (what `best/<id>/arch.json` and `best/<id>/fusion.dot` hold).
extension FusionGenotypeFormat where Self: FusionSearch {
    public func genotypeJSON(_ text: String) throws -> JSONValue {
        try FusionGenotype(pythonRepr: text).json
    }

    public func dotSource(genotypeText text: String, inputNames: [String]) throws -> String {
        try GenotypeDOT(genotype: try FusionGenotype(pythonRepr: text), groups: GenotypeDOT.groups(names: inputNames)).source
    }
}

extension DARTSFusionSearch: FusionGenotypeFormat {}
extension RandomFusionSearch: FusionGenotypeFormat {}

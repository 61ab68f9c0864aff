import HNASKit

/// The DARTS-space searches draw their genotypes with `GenotypeDOT` (what `best/<id>/fusion.dot` holds).
extension FusionGenotypeDrawing where Self: FusionSearch {
    public func dotSource(of genotype: FusionGenotype, inputNames: [String]) throws -> String {
        try GenotypeDOT(genotype: genotype, groups: GenotypeDOT.groups(names: inputNames)).source
    }
}

extension DARTSFusionSearch: FusionGenotypeDrawing {}
extension RandomFusionSearch: FusionGenotypeDrawing {}

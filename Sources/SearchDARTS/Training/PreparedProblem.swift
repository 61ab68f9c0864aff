import HNASKit

/// A fusion problem pooled and assigned to the roles of a protocol (SPEC-fusion §10.3):
///
/// | role | `sound` | `original` |
/// |---|---|---|
/// | weight steps | train (minus the carved validation part) | train |
/// | architecture steps, selection | validation (given, or carved from train) | test |
/// | selection measured in | evaluation mode | training mode |
/// | reported metric | test, once, on the selected model | best selection metric |
struct PreparedProblem {
    let shape: FusionShape
    let weightSplit: PooledSplit
    let selectionSplit: PooledSplit
    let test: PooledSplit
    let options: FusionSearchOptions

    init(_ problem: FusionProblem, options: FusionSearchOptions) throws {
        try options.validate()
        shape = FusionShape(problem: problem, options: options)
        try shape.validate()
        self.options = options
        let train = try PooledSplit(problem.train, length: options.length)
        test = try PooledSplit(problem.test, length: options.length)
        switch options.fusionProtocol {
        case .original:
            weightSplit = train
            selectionSplit = test
        case .sound:
            if let validation = problem.validation {
                weightSplit = train
                selectionSplit = try PooledSplit(validation, length: options.length)
            } else {
                var generator = SeededGenerator(seed: options.seed &+ 1)   // a stream apart from the search's own
                (weightSplit, selectionSplit) = try train.carve(fraction: options.validationFraction, generator: &generator)
            }
        }
    }

    /// Whether the selection split is measured in training mode (the original's protocol).
    var selectsInTrainingMode: Bool { options.fusionProtocol == .original }
}

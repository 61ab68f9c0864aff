/// The inner search that designs the fusion network for a pair of frozen backbones
/// (DARTS, random, …), swapped with `--fusion NAME`.
///
/// The backbones are frozen during the fusion search, so a caller computes their features once
/// per backbone configuration (the selected outputs, one tensor per input node, see
/// `FusionSplit`) and hands them over together with the macro-architecture; the search trains
/// only the fusion network (projection layers, fusion cells, classifier) on those tensors.
///
/// Typical call from the end-to-end search (a `SearchEvaluator.evaluateFusion`):
/// ```
/// let search = try registry.fusionSearches.make("darts")
/// let problem = try FusionProblem(train: trainSplit, validation: nil, test: testSplit, macro: macro)
/// var options = FusionSearchOptions(seed: seed)
/// options.fusionProtocol = .sound
/// let result = try search.search(problem, options: options, hardware: tx2, progress: nil)
/// return result.evaluation   // accuracy (percent), fusion-operator cost, genotype string
/// // result.model: the trained fusion network (weights + spec), to save and rebuild with `model(_:)`
/// ```
public protocol FusionSearch {
    /// The registry name, e.g. `"darts"`.
    var name: String { get }

    /// Searches (or samples) a genotype for `problem` and reports its metric and fusion cost.
    /// - Parameters:
    ///   - problem: cached per-input-node features and labels per split, and the macro-architecture.
    ///   - options: epochs, batch size, seed, protocol and the optimiser settings.
    ///   - hardware: the device model whose fusion table prices the operators; `nil` skips the cost
    ///     (and, in the `sound` protocol, the hardware term of the architecture loss).
    ///   - progress: called after every epoch with a one-line status (for stderr).
    /// - Throws: `HNASError` for inconsistent features, labels or macro-architecture.
    func search(_ problem: FusionProblem, options: FusionSearchOptions, hardware: (any HardwareModel)?,
                progress: ((String) -> Void)?) throws -> FusionSearchResult

    /// Trains the fusion network of a given `architecture` (its genotype, no search) from scratch on
    /// `problem` and reports it as `search` does its result (the original's `best_mm_model_*.py` with a
    /// fixed genotype; `hnas best --genotype-only`): the retrained model, its metric, its fusion cost.
    /// - Throws: `HNASError` naming the field when the genotype is missing, invalid or does not fit
    ///   the problem's input nodes.
    func retrain(_ architecture: FusionArchitecture, on problem: FusionProblem, options: FusionSearchOptions,
                 hardware: (any HardwareModel)?, progress: ((String) -> Void)?) throws -> FusionSearchResult

    /// The fusion model `spec` describes, with freshly initialised weights (load the saved state dict
    /// into it to restore a trained one).
    /// - Throws: `HNASError` naming the field when the spec's genotype or sizes do not fit this plugin.
    func model(_ spec: FusionModelSpec) throws -> any FusionModel

    /// The operators the hardware fusion table prices for `architecture`'s genotype, after checking
    /// that the genotype is one this plugin reads and that it fits the macro-architecture.
    /// - Throws: `HNASError` naming the field (e.g. `fusion.genotype.steps[1].inner_steps[0]`), the
    ///   value and the allowed set; or saying that there is no genotype.
    func operators(of architecture: FusionArchitecture) throws -> [String]
}

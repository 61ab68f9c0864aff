/// The outer search over joint backbone configurations (evolution, random, …), swapped with `--search NAME`.
///
/// A strategy proposes candidates and decides which survive; the caller supplies a `SearchEvaluator`
/// that scores them (the real one trains nothing: it evaluates subnets of trained supernets and runs
/// the fusion search), so strategies can be tested against analytic fronts. The whole state of a run
/// is the plain `Codable` value `SearchState`: the caller writes it atomically after every `step` and
/// resumes a killed run by decoding it and calling `step` again.
///
/// Typical driver:
/// ```
/// var state = try strategy.start(settings: settings, evaluator: evaluator, seed: seed)
/// while !state.isFinished {
///     state = try strategy.step(state, evaluator: evaluator)
///     try write(state)            // atomically: temp file + rename
/// }
/// let front = state.paretoFront   // over every multimodal candidate ever evaluated
/// ```
public protocol SearchStrategy {
    /// The registry name, e.g. `"evolution"`.
    var name: String { get }

    /// The state before generation 0: settings, the seeded generator and (for evolution) the initial population.
    /// Draws but evaluates nothing.
    /// - Throws: `HNASError` when `settings` are inconsistent or the evaluator has no searched backbone.
    func start(settings: SearchSettings, evaluator: any SearchEvaluator, seed: UInt64) throws -> SearchState

    /// Runs generation `state.generation`: evaluates, selects, records, and prepares the next generation.
    /// The returned state has `generation` one higher; calling `step` on a finished state is an error.
    /// - Throws: `HNASError` from the evaluator, or when `state` belongs to another strategy or is finished.
    func step(_ state: SearchState, evaluator: any SearchEvaluator) throws -> SearchState
}

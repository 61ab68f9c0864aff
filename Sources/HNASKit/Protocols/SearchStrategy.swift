/// The outer search over joint backbone configurations (evolution, random, …).
///
/// A strategy proposes candidates and decides which survive; an evaluator (supplied by the
/// caller) scores them, so strategies can be tested against analytic fronts and swapped with
/// `--search NAME`.
public protocol SearchStrategy {
    /// The registry name, e.g. `"evolution"`.
    var name: String { get }
}

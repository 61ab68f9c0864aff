/// A deterministic hold-out of sample indices: `fraction` of `0..<count` (rounded), chosen by a seeded
/// shuffle, and the rest. Both the search's validation split and the fusion search's own weight/selection
/// carve use it, so one seed and fraction always hold out the same samples.
///
/// It checks nothing about the sizes: each caller states the minimum it needs on either side.
public struct HoldOutSplit: Equatable, Sendable {
    /// The indices kept (e.g. for training), ascending.
    public let kept: [Int]
    /// The indices held out (e.g. for validation), ascending.
    public let held: [Int]

    /// Shuffles `0..<count` with `generator`; the first `(count · fraction).rounded()` indices (clamped to
    /// `0...count`) are held out.
    public init(count: Int, fraction: Double, generator: inout SeededGenerator) {
        var order = Array(0..<max(count, 0))
        let heldCount = min(max(Int((Double(order.count) * fraction).rounded()), 0), order.count)
        generator.shuffle(&order)
        held = Array(order[..<heldCount]).sorted()
        kept = Array(order[heldCount...]).sorted()
    }
}

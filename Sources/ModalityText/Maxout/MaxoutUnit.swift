import HNASKit

/// A maxout unit: a linear layer `d → m·k` whose outputs are grouped in `m` contiguous runs of `k`
/// (unit i takes linear outputs i·k … i·k+k−1) and reduced by their maximum (SPEC-backbone §3).
/// State-dict names `lin.weight`, `lin.bias`, as in Harmonic-NAS's `Maxout`.
public final class MaxoutUnit: Layer {
    public let lin: Linear
    public let units: Int
    public let pieces: Int
    public var isTraining = true

    public init(inFeatures: Int, units: Int, pieces: Int, generator: inout SeededGenerator) {
        lin = Linear(inFeatures: inFeatures, outFeatures: units * pieces, generator: &generator)
        self.units = units
        self.pieces = pieces
    }

    public var children: [(String, Module)] { [("lin", lin)] }

    /// [N, d] → [N, m].
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let y = try lin(x)
        return try y.reshaped([y.shape[0], units, pieces]).max(axes: [2])
    }
}

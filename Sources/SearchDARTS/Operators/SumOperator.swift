import HNASKit

/// `Sum`: `x + y`, no parameters (SPEC-fusion §3.2).
final class SumOperator: FusionOperator {
    var isTraining = true

    func callAsFunction(_ x: Tensor, _ y: Tensor) throws -> Tensor { try x + y }
}

import HNASKit

/// A node operator of the fusion search space: two `[B, C, L]` inputs to one `[B, C, L]` output
/// (SPEC-fusion §3). Each instance owns its weights; nothing is shared between steps or cells.
protocol FusionOperator: Module {
    func callAsFunction(_ x: Tensor, _ y: Tensor) throws -> Tensor
    /// The evaluation-mode forward pass as graph operators (see `DerivedNetwork.emitGraph`).
    func emitGraph(_ x: GraphValue, _ y: GraphValue, into builder: GraphBuilder, foldBatchNorm: Bool) throws -> GraphValue
}

/// Builds node operators by their genotype name.
enum FusionOperators {
    /// The searched operators (`STEP_STEP_PRIMITIVES`), in the order of `gammas`.
    static let searched = FusionGenotype.nodeOperators
    /// Every operator that can be built: the searched ones and `SE2` (LUT completeness).
    static let known = searched + ["SE2"]

    /// A fresh operator instance for `[B, channels, length]` tensors.
    /// - Throws: `HNASError` naming the operator when `name` is not in `known`.
    static func make(_ name: String, channels: Int, length: Int, dropout: Float,
                     generator: inout SeededGenerator) throws -> any FusionOperator {
        switch name {
        case "Sum": return SumOperator()
        case "ScaleDotAttn": return ScaleDotAttention(channels: channels, length: length, generator: generator.fork())
        case "LinearGLU": return LinearGLU(channels: channels, dropout: dropout, generator: &generator)
        case "ConcatFC": return ConcatConv(channels: channels, activation: .relu, dropout: dropout, generator: &generator)
        case "CatConvMish": return ConcatConv(channels: channels, activation: .mish, dropout: dropout, generator: &generator)
        case "SE1": return SqueezeExciteFusion(channels: channels, squeezed: .first, generator: &generator)
        case "SE2": return SqueezeExciteFusion(channels: channels, squeezed: .second, generator: &generator)
        default:
            throw HNASError.argument("fusion operator", why: "'\(name)' is not in the allowed set \(known.joined(separator: ", "))")
        }
    }
}

/// Fusion node operators that can be built alone and run, so a hardware model can measure the
/// fusion-operator table on the machine hnas runs on (`hnas lut profile`, `--hardware host`)
/// without knowing the operators: the fusion-search plugins whose genotypes name operators provide it.
public protocol FusionOperatorSource {
    /// Every operator a fusion table prices, in table order (e.g. the original's seven).
    var operatorNames: [String] { get }

    /// Operator `name` built for two `[1, channels, length]` inputs with random weights and inputs from
    /// `seed`, in evaluation mode: a closure running one forward pass (the caller times it, without autograd).
    /// - Throws: `HNASError` naming the operator when it is not one of `operatorNames`.
    func makeOperatorRun(_ name: String, channels: Int, length: Int, seed: UInt64) throws -> () throws -> Void
}


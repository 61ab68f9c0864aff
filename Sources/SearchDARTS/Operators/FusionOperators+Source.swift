import HNASKit

/// The DARTS fusion searches hand their node operators to a hardware model that measures them on
/// this machine: the searched ones and `SE2`, the seven operators of the original's fusion tables.
extension GenotypeFusionSearch {
    public var operatorNames: [String] { FusionOperators.known }

    public func makeOperatorRun(_ name: String, channels: Int, length: Int, seed: UInt64) throws -> () throws -> Void {
        var generator = SeededGenerator(seed: seed)
        let op = try FusionOperators.make(name, channels: channels, length: length, dropout: 0, generator: &generator)
        op.eval()
        let x = WeightInit.normal([1, channels, length], std: 1, generator: &generator)
        let y = WeightInit.normal([1, channels, length], std: 1, generator: &generator)
        return { _ = try op(x, y) }
    }
}

extension DARTSFusionSearch: FusionOperatorSource {}
extension RandomFusionSearch: FusionOperatorSource {}

import HNASKit

/// A synthetic two-modality problem whose label needs both modalities jointly: sample s draws bits
/// `a` and `b`, and its label is `a XOR b`. Modality A has `nodesPerModality` input nodes, only one
/// of which carries `a` (as `±signal` along a fixed random direction of a `[c, 3, 3]` map, plus noise);
/// modality B likewise carries `b` in one `[c]` vector node. All other nodes are pure noise.
///
/// Since `a` and `b` are independent fair bits, each modality alone is independent of the label:
/// the unimodal ceiling is 50 % (chance), and only a fusion that sees both informative nodes in one
/// cell can exceed it.
public struct SyntheticFusionTask: Sendable {
    public var samples: (train: Int, test: Int) = (512, 256)
    public var channels = 8
    public var nodesPerModality = 2
    public var signal: Float = 1.5
    public var noise: Float = 1.0
    public var seed: UInt64 = 7

    public init() {}

    /// The index of the informative node of each modality.
    public var informativeNodes: (a: Int, b: Int) { (nodesPerModality - 1, nodesPerModality) }

    /// Display names of the input nodes.
    public var inputNames: [String] {
        (1...nodesPerModality).map { "A_\($0)" } + (1...nodesPerModality).map { "B_\($0)" }
    }

    /// Train and test splits; `drop` replaces one modality's features by zeros (a unimodal probe).
    public func splits(dropping drop: Character? = nil) throws -> (train: FusionSplit, test: FusionSplit) {
        var generator = SeededGenerator(seed: seed)
        let directionA = WeightInit.normal([channels * 9], std: 1, generator: &generator).scalars
        let directionB = WeightInit.normal([channels], std: 1, generator: &generator).scalars
        func split(_ n: Int) throws -> FusionSplit {
            var nodes = [[Float]](repeating: [], count: 2 * nodesPerModality)
            var labels: [Int] = []
            for _ in 0..<n {
                let a = generator.int(below: 2), b = generator.int(below: 2)
                labels.append(a ^ b)
                for k in 0..<(2 * nodesPerModality) {
                    let isMap = k < nodesPerModality
                    let size = isMap ? channels * 9 : channels
                    var values = (0..<size).map { _ in noise * Float(generator.normal()) }
                    if k == informativeNodes.a {
                        for i in 0..<size { values[i] += signal * Float(2 * a - 1) * directionA[i] }
                    } else if k == informativeNodes.b {
                        for i in 0..<size { values[i] += signal * Float(2 * b - 1) * directionB[i] }
                    }
                    if (drop == "A" && isMap) || (drop == "B" && !isMap) { values = [Float](repeating: 0, count: size) }
                    nodes[k] += values
                }
            }
            let features = try nodes.enumerated().map { k, values in
                try Tensor(shape: k < nodesPerModality ? [n, channels, 3, 3] : [n, channels], scalars: values)
            }
            return try FusionSplit(features: features, labels: .classes(labels, classes: 2))
        }
        return (try split(samples.train), try split(samples.test))
    }

    /// The fusion problem for a macro-architecture.
    public func problem(steps: Int, nodeSteps: Int, dropping drop: Character? = nil) throws -> FusionProblem {
        let (train, test) = try splits(dropping: drop)
        return try FusionProblem(train: train, validation: nil, test: test, steps: steps, nodeSteps: nodeSteps,
                                 inputNames: inputNames)
    }
}

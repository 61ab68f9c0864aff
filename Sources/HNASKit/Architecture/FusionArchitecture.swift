/// The fusion part of an architecture: the macro-architecture (`steps` fusion cells of
/// `node_steps` operators each, as the evolution samples it) and, once searched, its genotype.
public struct FusionArchitecture: Hashable, Codable, Sendable {
    public var steps: Int
    public var nodeSteps: Int
    public var genotype: FusionGenotype?

    public init(steps: Int, nodeSteps: Int, genotype: FusionGenotype?) {
        self.steps = steps
        self.nodeSteps = nodeSteps
        self.genotype = genotype
    }

    enum CodingKeys: String, CodingKey {
        case steps, nodeSteps = "node_steps", genotype
    }

    /// Reads `genotype` either as an object or as the original's printed string
    /// (`"Genotype(edges=[…], steps=[…], concat=[…])"`, as its result records store it).
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        steps = try container.decode(Int.self, forKey: .steps)
        nodeSteps = try container.decode(Int.self, forKey: .nodeSteps)
        if let text = try? container.decode(String.self, forKey: .genotype) {
            do {
                genotype = try FusionGenotype(pythonRepr: text)
            } catch let error as HNASError {
                throw DecodingError.dataCorruptedError(forKey: .genotype, in: container, debugDescription: error.why)
            }
        } else {
            genotype = try container.decodeIfPresent(FusionGenotype.self, forKey: .genotype)
        }
    }

    /// Checks that the genotype has `steps` cells of `node_steps` operators and is itself valid
    /// (`FusionGenotype.validate`: two edges per cell and per inner step, known operator names, edges
    /// reading existing states).
    /// - Throws: `HNASError` naming the field (e.g. `fusion.genotype.steps[1].inner_steps[0]`),
    ///   the value and the allowed set.
    public func validate() throws {
        func bad(_ field: String, _ why: String) -> HNASError { .argument("fusion.\(field)", why: why) }
        guard steps >= 1 else { throw bad("steps", "\(steps) is not a positive cell count") }
        guard nodeSteps >= 1 else { throw bad("node_steps", "\(nodeSteps) is not a positive operator count") }
        guard let genotype else { return }
        guard genotype.steps.count == steps else {
            throw bad("genotype.steps", "has \(genotype.steps.count) cells but steps = \(steps)")
        }
        for (i, cell) in genotype.steps.enumerated() where cell.innerSteps.count != nodeSteps {
            throw bad("genotype.steps[\(i)].inner_steps", "has \(cell.innerSteps.count) operators but node_steps = \(nodeSteps)")
        }
        try genotype.validate(field: "fusion.genotype")
    }
}

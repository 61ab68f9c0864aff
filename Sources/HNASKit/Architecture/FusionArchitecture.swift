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

    /// Checks that the genotype has `steps` cells of `node_steps` operators, two edges per cell and
    /// per inner step, and only known operator names.
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
        try Self.checkEdges(genotype.edges, count: 2 * steps, field: "fusion.genotype.edges")
        for (i, cell) in genotype.steps.enumerated() {
            let field = "genotype.steps[\(i)]"
            guard cell.innerSteps.count == nodeSteps else {
                throw bad("\(field).inner_steps", "has \(cell.innerSteps.count) operators but node_steps = \(nodeSteps)")
            }
            for (t, op) in cell.innerSteps.enumerated() where !FusionGenotype.nodeOperators.contains(op) {
                throw bad("\(field).inner_steps[\(t)]",
                          "'\(op)' is not in the allowed set \(FusionGenotype.nodeOperators.joined(separator: ", "))")
            }
            try Self.checkEdges(cell.innerEdges, count: 2 * nodeSteps, field: "fusion.\(field).inner_edges")
        }
    }

    private static func checkEdges(_ edges: [FusionGenotype.Edge], count: Int, field: String) throws {
        guard edges.count == count else {
            throw HNASError.argument(field, why: "has \(edges.count) edges, expected \(count) (two per cell or node)")
        }
        for (i, edge) in edges.enumerated() {
            guard FusionGenotype.edgeOperators.contains(edge.op) else {
                throw HNASError.argument("\(field)[\(i)]", why: "'\(edge.op)' is not in the allowed set "
                                         + FusionGenotype.edgeOperators.joined(separator: ", "))
            }
            guard edge.input >= 0 else {
                throw HNASError.argument("\(field)[\(i)]", why: "input index \(edge.input) is negative")
            }
        }
    }
}

/// The fusion part of an architecture: the macro-architecture (`steps` fusion cells of
/// `node_steps` operators each, as the evolution samples it) and, once searched, its genotype.
///
/// The genotype's format belongs to the fusion-search plugin that made it (the DARTS plugin reads the
/// original's genotype object or its printed `"Genotype(edges=[…], …)"` string); the core keeps it
/// as read and leaves checking it to that plugin (`FusionSearch.operators(of:)`, `FusionGenotype`).
public struct FusionArchitecture: Hashable, Codable, Sendable {
    public var steps: Int
    public var nodeSteps: Int
    public var genotype: JSONValue?

    public init(steps: Int, nodeSteps: Int, genotype: JSONValue?) {
        self.steps = steps
        self.nodeSteps = nodeSteps
        self.genotype = genotype
    }

    enum CodingKeys: String, CodingKey {
        case steps, nodeSteps = "node_steps", genotype
    }

    /// Checks the macro-architecture (positive cell and operator counts); the genotype is checked by
    /// the plugin that reads it.
    /// - Throws: `HNASError` naming the field and the value.
    public func validate() throws {
        guard steps >= 1 else { throw HNASError.argument("fusion.steps", why: "\(steps) is not a positive cell count") }
        guard nodeSteps >= 1 else { throw HNASError.argument("fusion.node_steps", why: "\(nodeSteps) is not a positive operator count") }
    }
}

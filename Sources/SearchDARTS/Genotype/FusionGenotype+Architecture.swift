import Foundation
import HNASKit

/// A DARTS genotype inside the core's plugin-agnostic `FusionArchitecture` (whose `genotype` is
/// plain JSON): reading it back (the original's object or its printed string), checking it against
/// the macro-architecture and the operator sets, and storing it.
extension FusionGenotype {
    /// The genotype of `architecture`, checked by `validate(steps:nodeSteps:)`.
    /// - Throws: `HNASError` naming the field (`fusion.genotype…`) when there is no genotype, it is
    ///   neither a genotype object nor a `Genotype(…)` string, or it does not fit the macro-architecture.
    public init(architecture: FusionArchitecture) throws {
        try architecture.validate()
        switch architecture.genotype {
        case nil, .null?:
            throw HNASError.argument("fusion.genotype", why: "missing (the fusion search has not run for this architecture)")
        case .string(let text)?:
            do { self = try FusionGenotype(pythonRepr: text) } catch let error as HNASError {
                throw HNASError.argument("fusion.genotype", why: error.why)
            }
        case let value?:
            // Decoded inside `{"fusion": {"genotype": …}}` so errors name the field path from the top.
            struct Fusion: Decodable { let genotype: FusionGenotype }
            struct Top: Decodable { let fusion: Fusion }
            do {
                self = try JSONDecoder().decode(Top.self, from: JSONEncoder().encode(["fusion": ["genotype": value]])).fusion.genotype
            } catch let error as DecodingError {
                throw HNASError.argument("fusion.genotype", why: Architecture.describe(error))
            }
        }
        try validate(steps: architecture.steps, nodeSteps: architecture.nodeSteps)
    }

    /// The genotype as the JSON object `arch.json` stores (the original's field names).
    public var json: JSONValue {
        // Encoding a struct of strings and integers into JSON and reading it back cannot fail.
        try! JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(self))
    }

    /// Checks that the genotype has `steps` cells of `nodeSteps` operators, two edges per cell and
    /// per inner step, and only known operator names.
    /// - Throws: `HNASError` naming the field (e.g. `fusion.genotype.steps[1].inner_steps[0]`),
    ///   the value and the allowed set.
    public func validate(steps: Int, nodeSteps: Int) throws {
        func bad(_ field: String, _ why: String) -> HNASError { .argument("fusion.\(field)", why: why) }
        guard self.steps.count == steps else {
            throw bad("genotype.steps", "has \(self.steps.count) cells but steps = \(steps)")
        }
        try Self.checkEdges(edges, count: 2 * steps, field: "fusion.genotype.edges")
        for (i, cell) in self.steps.enumerated() {
            let field = "genotype.steps[\(i)]"
            guard cell.innerSteps.count == nodeSteps else {
                throw bad("\(field).inner_steps", "has \(cell.innerSteps.count) operators but node_steps = \(nodeSteps)")
            }
            for (t, op) in cell.innerSteps.enumerated() where !Self.nodeOperators.contains(op) {
                throw bad("\(field).inner_steps[\(t)]", "'\(op)' is not in the allowed set \(Self.nodeOperators.joined(separator: ", "))")
            }
            try Self.checkEdges(cell.innerEdges, count: 2 * nodeSteps, field: "fusion.\(field).inner_edges")
        }
    }

    private static func checkEdges(_ edges: [Edge], count: Int, field: String) throws {
        guard edges.count == count else {
            throw HNASError.argument(field, why: "has \(edges.count) edges, expected \(count) (two per cell or node)")
        }
        for (i, edge) in edges.enumerated() {
            guard edgeOperators.contains(edge.op) else {
                throw HNASError.argument("\(field)[\(i)]", why: "'\(edge.op)' is not in the allowed set " + edgeOperators.joined(separator: ", "))
            }
            guard edge.input >= 0 else {
                throw HNASError.argument("\(field)[\(i)]", why: "input index \(edge.input) is negative")
            }
        }
    }
}

extension FusionArchitecture {
    /// The macro-architecture `steps` × `nodeSteps` holding the DARTS `genotype` (as its JSON object).
    public init(steps: Int, nodeSteps: Int, genotype: FusionGenotype) {
        self.init(steps: steps, nodeSteps: nodeSteps, genotype: genotype.json)
    }
}

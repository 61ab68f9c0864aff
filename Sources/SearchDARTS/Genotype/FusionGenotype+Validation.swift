import HNASKit

extension FusionGenotype {
    /// Checks that the genotype describes a network that can be built and drawn: at least one cell,
    /// two edges per cell and per inner step, known operator names, every edge reading a state that
    /// exists before it (cell i: the input nodes and cells 0..<i; inner step t: x, y and steps 0..<t),
    /// and `concat`/`inner_concat` naming existing states. The one validator behind `lut estimate`
    /// (through `FusionArchitecture.validate`), `genotype plot` and the genotype reader.
    /// - Parameters:
    ///   - inputNodes: the fusion network's input nodes; by default what `concat` implies
    ///     (`concat.last + 1 − cells`, the original's layout, which concatenates the last states).
    ///   - field: the name errors give the genotype (`fusion.genotype` in an architecture file).
    /// - Throws: `HNASError.argument` naming the field (e.g. `genotype.steps[1].inner_edges[0]`) and the problem.
    public func validate(inputNodes: Int? = nil, field: String = "genotype") throws {
        func bad(_ name: String, _ why: String) -> HNASError { .argument("\(field)\(name)", why: why) }
        guard !steps.isEmpty else { throw bad(".steps", "has no cells (at least one is needed)") }
        guard let last = concat.last else { throw bad(".concat", "is empty") }
        let inputs = inputNodes ?? (last + 1 - steps.count)
        guard inputs >= 1 else { throw bad(".concat", "\(concat) implies \(inputs) input nodes for \(steps.count) cells") }
        guard edges.count == 2 * steps.count else {
            throw bad(".edges", "has \(edges.count) edges for \(steps.count) cells (two per cell)")
        }
        for (k, edge) in edges.enumerated() {
            try Self.check(edge, states: inputs + k / 2, name: "\(field).edges[\(k)]")
        }
        for (i, step) in steps.enumerated() {
            let name = "\(field).steps[\(i)]"
            guard !step.innerSteps.isEmpty else { throw HNASError.argument("\(name).inner_steps", why: "is empty") }
            for (t, op) in step.innerSteps.enumerated() where !Self.nodeOperators.contains(op) {
                throw HNASError.argument("\(name).inner_steps[\(t)]",
                                         why: "'\(op)' is not in the allowed set \(Self.nodeOperators.joined(separator: ", "))")
            }
            guard step.innerEdges.count == 2 * step.innerSteps.count else {
                throw HNASError.argument("\(name).inner_edges",
                                         why: "has \(step.innerEdges.count) edges for \(step.innerSteps.count) operators (two per operator)")
            }
            for (k, edge) in step.innerEdges.enumerated() {
                try Self.check(edge, states: 2 + k / 2, name: "\(name).inner_edges[\(k)]")
            }
            let innerStates = 2 + step.innerSteps.count
            guard !step.innerConcat.isEmpty, step.innerConcat.allSatisfy({ (0..<innerStates).contains($0) }) else {
                throw HNASError.argument("\(name).inner_concat", why: "\(step.innerConcat) must name inner states in 0..<\(innerStates)")
            }
        }
        let states = inputs + steps.count
        guard concat.allSatisfy({ (0..<states).contains($0) }) else {
            throw bad(".concat", "\(concat) must name states in 0..<\(states)")
        }
    }

    private static func check(_ edge: Edge, states: Int, name: String) throws {
        guard edgeOperators.contains(edge.op) else {
            throw HNASError.argument(name, why: "'\(edge.op)' is not in the allowed set \(edgeOperators.joined(separator: ", "))")
        }
        guard (0..<states).contains(edge.input) else {
            throw HNASError.argument(name, why: "state \(edge.input) does not exist there (0..<\(states))")
        }
    }
}

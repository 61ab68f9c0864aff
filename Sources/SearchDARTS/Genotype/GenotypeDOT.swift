import Foundation
import HNASKit

/// A genotype as a Graphviz DOT graph, in the layout of the original's plotter (SPEC-fusion §6.6):
/// left-to-right; one light-grey cluster per modality of input nodes (chained); per cell a tan
/// cluster with its X/Y inputs, one node per inner operator and its output Z; blue edges from the
/// chosen states into the cells and from the concatenated states into "Reduction Output".
/// The number of inner steps comes from the genotype itself (§10.14).
public struct GenotypeDOT {
    /// A modality's input nodes: the cluster label prefix and how many nodes it has.
    public struct Group: Equatable, Sendable {
        public var name: String
        public var count: Int
        public init(name: String, count: Int) {
            self.name = name
            self.count = count
        }
    }

    public let genotype: FusionGenotype
    public let groups: [Group]

    /// - Throws: `HNASError` when the genotype is not valid (`FusionGenotype.validate`) or the groups'
    ///   node count differs from its input nodes (`concat.last + 1 − cells`).
    public init(genotype: FusionGenotype, groups: [Group]? = nil) throws {
        try genotype.validate()
        let inputs = genotype.concat.last! + 1 - genotype.steps.count
        let groups = groups ?? [Group(name: "Input", count: inputs)]
        guard groups.reduce(0, { $0 + $1.count }) == inputs else {
            throw HNASError.argument("groups", why: "\(groups.map { "\($0.name):\($0.count)" }.joined(separator: ",")) give \(groups.reduce(0) { $0 + $1.count }) input nodes but the genotype has \(inputs)")
        }
        self.genotype = genotype
        self.groups = groups
    }

    /// Clusters from input-node names `Prefix_k`: consecutive names with the same prefix form a group.
    public static func groups(names: [String]) -> [Group] {
        var groups: [Group] = []
        for name in names {
            let prefix = name.split(separator: "_").dropLast().joined(separator: "_")
            let label = prefix.isEmpty ? name : prefix
            if groups.last?.name == label { groups[groups.count - 1].count += 1 } else { groups.append(Group(name: label, count: 1)) }
        }
        return groups
    }

    /// The DOT source.
    public var source: String {
        var lines = [
            "digraph genotype {",
            "  rankdir=LR;",
            "  node [style=\"rounded,filled\", shape=rect, fontname=\"Helvetica\", fontsize=20, penwidth=2];",
            "  edge [fontname=\"Times\", fontsize=20, penwidth=1.5];",
        ]
        let fills = ["lightskyblue1", "darkolivegreen1"]
        var names: [String] = []
        for (g, group) in groups.enumerated() {
            let members = (0..<group.count).map { "\(group.name)_\($0 + 1)" }
            lines.append("  subgraph cluster_input_\(g) {")
            lines.append("    style=\"rounded,filled\"; color=lightgrey;")
            for name in members { lines.append("    \(quote(name)) [fillcolor=\(fills[g % fills.count])];") }
            for (a, b) in zip(members, members.dropFirst()) { lines.append("    \(quote(a)) -> \(quote(b));") }
            lines.append("  }")
            if let previous = names.last, let first = members.first {
                lines.append("  \(quote(previous)) -> \(quote(first)) [style=invis];")
            }
            names += members
        }
        names += (1...genotype.steps.count).map { "Z_C\($0)" }
        for (i, step) in genotype.steps.enumerated() {
            let c = i + 1
            let inner = ["X_C\(c)", "Y_C\(c)"] + step.innerSteps.enumerated().map { "C\(c)_S\($0 + 1)\\n\($1)" }
            lines.append("  subgraph cluster_step_\(i) {")
            lines.append("    style=\"rounded,filled\"; color=tan1;")
            lines.append("    \(quote(inner[0])) [fillcolor=maroon2];")
            lines.append("    \(quote(inner[1])) [fillcolor=green3];")
            lines.append("    \(quote("Z_C\(c)")) [fillcolor=purple];")
            for name in inner.dropFirst(2) { lines.append("    \(quote(name)) [fillcolor=khaki1];") }
            for t in 0..<step.innerSteps.count {
                for k in [2 * t, 2 * t + 1] {
                    lines.append("    \(quote(inner[step.innerEdges[k].input])) -> \(quote(inner[2 + t]));")
                }
            }
            lines.append("    \(quote(inner[inner.count - 1])) -> \(quote("Z_C\(c)"));")
            lines.append("  }")
            lines.append("  \(quote(names[genotype.edges[2 * i].input])) -> \(quote(inner[0])) [color=blue];")
            lines.append("  \(quote(names[genotype.edges[2 * i + 1].input])) -> \(quote(inner[1])) [color=blue];")
        }
        lines.append("  \(quote("Reduction\\nOutput")) [fillcolor=grey91];")
        for c in genotype.concat where c < names.count {
            lines.append("  \(quote(names[c])) -> \(quote("Reduction\\nOutput")) [color=blue];")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private func quote(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
}

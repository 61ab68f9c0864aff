import ArgumentParser
import HNASKit
import SearchDARTS

/// `hnas genotype plot`: a genotype as a Graphviz graph, in the original plotter's layout.
struct GenotypePlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw a fusion genotype (DOT, or SVG/PDF/PNG through Graphviz's dot).",
        discussion: """
            The genotype file may be a genotype JSON object (edges, steps, concat), a JSON object with a
            "genotype" member (a fusion-search result), or the original's printed form "Genotype(edges=…)".
            An output ending in .dot gets the DOT source; any other extension is rendered by `dot` when
            Graphviz is installed, otherwise the DOT source is written to <out>.dot and a note says so.

            Example:
              hnas genotype plot genotype.json --out genotype.svg --groups Image:4,Audio:4
            """
    )

    @Argument(help: "Genotype file.")
    var genotype: String

    @Option(help: "Output file (.dot, .svg, .pdf, .png).")
    var out: String

    @Option(help: "Input-node clusters as Name:count,… (default: one cluster 'Input' with every input node).")
    var groups: String?

    func run() throws {
        let loaded = try GenotypeFile.load(path: genotype)
        let dot = try GenotypeDOT(genotype: loaded, groups: try groups.map(Self.parseGroups))
        print(try GraphvizRenderer.write(dot.source, to: out).message)
    }

    static func parseGroups(_ text: String) throws -> [GenotypeDOT.Group] {
        try text.split(separator: ",").map { item in
            let parts = item.split(separator: ":")
            guard parts.count == 2, let count = Int(parts[1]), count > 0, !parts[0].isEmpty else {
                throw HNASError.argument("--groups", why: "'\(item)' is not Name:count with a positive count")
            }
            return GenotypeDOT.Group(name: String(parts[0]), count: count)
        }
    }
}

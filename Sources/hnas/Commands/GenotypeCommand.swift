import ArgumentParser

/// `hnas genotype …`: fusion genotypes (the DARTS search's result).
struct GenotypeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genotype",
        abstract: "Work with fusion genotypes (plot as Graphviz).",
        discussion: """
            Example:
              hnas genotype plot genotype.json --out genotype.svg --groups Image:4,Audio:4
            """,
        subcommands: [GenotypePlotCommand.self]
    )
}

import ArgumentParser

/// `hnas data …`: check, describe and benchmark datasets in the stock pipelines' on-disk formats.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Check, describe and benchmark datasets (avmnist, mmimdb, memes).",
        discussion: """
            Example:
              hnas data check Data/avmnist-sample --dataset avmnist
            """,
        subcommands: [
            DataCheckCommand.self,
            DataStatsCommand.self,
            DataPrepareCommand.self,
            DataBenchCommand.self,
        ]
    )
}

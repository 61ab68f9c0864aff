import ArgumentParser

/// `hnas bench …`: speed measurements of the engine (never timed in tests).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the engine's speed on the benchmark networks (Benchmarks/nets.json).",
        discussion: """
            Example:
              hnas bench gemm --threads 2
            """,
        subcommands: [
            BenchGemmCommand.self,
            BenchTrainStepCommand.self,
            BenchFusionCommand.self,
            BenchFusionStepCommand.self,
        ]
    )
}

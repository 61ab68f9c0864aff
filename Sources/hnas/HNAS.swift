import ArgumentParser
import Foundation
import HNASKit

/// The `hnas` command: hardware-aware multimodal neural architecture search.
struct HNAS: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hnas",
        abstract: "Hardware-aware multimodal neural architecture search (Harmonic-NAS) for edge devices.",
        discussion: """
            Examples:
              hnas plugins
              hnas version --verbose
            """,
        version: BuildInfo.version,
        groupedSubcommands: [
            CommandGroup(name: "Search", subcommands: [
                SearchCommand.self,
                FusionSearchCommand.self,
                BestCommand.self,
                TrainSupernetCommand.self,
                TrainTextCommand.self,
            ]),
            CommandGroup(name: "Evaluate", subcommands: [
                EvalSubnetCommand.self,
                EvalTextCommand.self,
                InferCommand.self,
                PredictCommand.self,
                ParetoCommand.self,
            ]),
            CommandGroup(name: "Deploy", subcommands: [
                ExportCommand.self,
            ]),
            CommandGroup(name: "Data", subcommands: [
                DataCommand.self,
                FeaturesCommand.self,
                TokenizeCommand.self,
            ]),
            CommandGroup(name: "Hardware", subcommands: [
                LutCommand.self,
            ]),
            CommandGroup(name: "Tools", subcommands: [
                GenotypeCommand.self,
                BenchCommand.self,
                PluginsCommand.self,
                VersionCommand.self,
            ]),
        ]
    )
}

/// Runs `hnas`, turning every failure into one `error: …` line on stderr and a non-zero exit.
@main
enum Main {
    static func main() {
        do {
            var command = try HNAS.parseAsRoot()
            try command.run()
        } catch let error as HNASError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            exit(1)
        } catch {
            let code = HNAS.exitCode(for: error)
            if code == .success || error is CleanExit {
                HNAS.exit(withError: error)
            }
            let message = HNAS.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            FileHandle.standardError.write(Data("error: \(message)\n".utf8))
            exit(code.rawValue)
        }
    }
}

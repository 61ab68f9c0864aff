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
        subcommands: [
            VersionCommand.self,
            PluginsCommand.self,
            LutCommand.self,
            FeaturesCommand.self,
            ParetoCommand.self,
            DataCommand.self,
            TokenizeCommand.self,
            BenchCommand.self,
            InferCommand.self,
            SearchCommand.self,
            TrainSupernetCommand.self,
            EvalSubnetCommand.self,
            TrainTextCommand.self,
            EvalTextCommand.self,
            FusionSearchCommand.self,
            GenotypeCommand.self,
            ExportCommand.self,
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

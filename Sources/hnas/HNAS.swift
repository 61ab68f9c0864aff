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

/// Runs `hnas`, turning every failure into one `error: …` line on stderr and a non-zero exit (under
/// `--distributed mpi`, `error: rank R: …` from the failing process, which ends the whole job).
@main
enum Main {
    static func main() {
        BLASCore.relaunchIfMisdetected()
        AtomicFile.installInterruptCleanup()
        do {
            var command = try HNAS.parseAsRoot()
            try command.run()
            DistributedOption.current?.finish()
        } catch let error as CollectiveError {
            // Every process raised it alike: rank 0 reports it once, all end normally.
            if DistributedOption.current?.isRoot ?? true { FileHandle.standardError.write(Data("error: \(error)\n".utf8)) }
            DistributedOption.current?.finish()
            exit(1)
        } catch let error where DistributedOption.current != nil {
            // Only this process may have failed: the others would wait for it forever, so end the job.
            DistributedOption.current!.abort("\(error)")
        } catch let error as HNASError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            exit(1)
        } catch let EncodingError.invalidValue(value, context) {
            let field = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            FileHandle.standardError.write(Data("error: cannot write the output as JSON: \(value) at '\(field.isEmpty ? "(top level)" : field)' is not a finite number\n".utf8))
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

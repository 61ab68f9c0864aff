import ArgumentParser
import Foundation
import HardwareTX2
import HNASKit

/// `hnas lut estimate`: latency and energy of an architecture file on a device, layer by layer.
struct LutEstimateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "estimate",
        abstract: "Latency (ms) and energy (mJ) of an architecture JSON on a device, per layer and in total.",
        discussion: """
            Rows marked '*' are missing from the measured table and were predicted (see `hnas lut validate`).
            The architecture format is described in the README (section "Architecture JSON").

            Example:
              hnas lut estimate --device tx2 --dataset avmnist --arch Examples/avmnist-best-3.json
              hnas lut estimate --device host --table my_device.json --dataset avmnist --arch Examples/avmnist-example.json
            """
    )

    @Option(help: "Device: tx2, agx or host.")
    var device: String

    @Option(help: "With --device host: the table written by `hnas lut profile` (without it the host is profiled now).")
    var table: String?

    @Option(help: "Dataset: avmnist, mmimdb or memes.")
    var dataset: String

    @Option(help: "Architecture JSON file.")
    var arch: String

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        print(try report(), terminator: "")
    }

    /// What `run` prints: the estimate as JSON, or as a table with notes.
    func report() throws -> String {
        let model = try LutCommand.model(device, table: table)
        let registry = makeRegistry()
        let pipeline = try registry.pipelines.make(dataset)
        let cost = try ArchitectureCost.estimate(try Architecture.load(path: arch), pipeline: pipeline, registry: registry, on: model,
                                                 fusion: try registry.fusionSearches.make("darts"))
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            return String(decoding: try encoder.encode(cost), as: UTF8.self) + "\n"
        }
        var lines = ["\(arch) on \(LutCommand.deviceName(model)), dataset \(dataset)"]
        var rows = [["part", "lat (ms)", "enrg (mJ)", "", "key"]]
        for section in cost.sections {
            for row in section.report.rows {
                rows.append([section.title, LutCommand.format(row.cost.latencyMs), LutCommand.format(row.cost.energyMJ),
                             row.predicted ? "*" : "", row.key])
            }
            let subtotal = section.report.total
            rows.append(["\(section.title) total", LutCommand.format(subtotal.latencyMs), LutCommand.format(subtotal.energyMJ), "", ""])
        }
        rows.append(["TOTAL", LutCommand.format(cost.total.latencyMs), LutCommand.format(cost.total.energyMJ), "", ""])
        lines.append(TextColumns.format(rows))
        if cost.hasPredictedRows {
            lines.append("* not in the measured table: predicted by the fallback model fitted on the table (see `hnas lut validate`)")
        }
        lines += cost.notes.map { "note: \($0)" }
        if let host = model as? HostModel, let note = try host.backboneTable(dataset: pipeline.hardwareKey).note { lines.append("table: \(note)") }
        return lines.joined(separator: "\n") + "\n"
    }
}

import ArgumentParser
import Foundation
import HardwareTX2
import HNASKit

/// `hnas lut show`: one measured table as a readable list.
struct LutShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a device's measured backbone table for a dataset (or its fusion-operator table).",
        discussion: """
            Example:
              hnas lut show --device tx2 --dataset avmnist
              hnas lut show --device agx --fusion
              hnas lut show --device host --table my_device.json
            """
    )

    @Option(help: "Device: tx2, agx, or host (with --table).")
    var device: String

    @Option(help: "With --device host: the table written by `hnas lut profile`.")
    var table: String?

    @Option(help: "Dataset whose backbone table to show: avmnist, mmimdb or memes.")
    var dataset: String?

    @Flag(help: "Show the fusion-operator table instead.")
    var fusion = false

    func run() throws {
        let table: MeasuredTable
        if device == "host" {
            guard let path = self.table else { throw HNASError.argument("--table", why: "missing: --device host shows a table written by `hnas lut profile`") }
            table = try MeasuredTable.load(path: path)
            print("\(table.name): \(table.entries.count) entries, measured on this host")
        } else {
            guard self.table == nil else { throw HNASError.argument("--table", why: "only for --device host") }
            let model = try LutCommand.jetsonModel(device)
            if fusion {
                table = model.fusionTable
            } else {
                guard let dataset else {
                    throw HNASError.argument("--dataset", why: "missing (valid: \(model.datasets.joined(separator: ", "))), or give --fusion")
                }
                table = try model.backboneTable(dataset: dataset)
            }
            print("\(table.name): \(table.entries.count) entries, measured on the \(model.device.boardName), batch 1")
        }
        if let note = table.note { print("note: \(note)") }
        var rows = [["layer", "input", "configuration", "lat (ms)", "enrg (mJ)"]]
        let order = fusion ? table.keys.sorted(by: Self.fusionOrder) : table.keys.sorted(by: Self.layerOrder)
        for key in order {
            let fields = key.split(separator: "-").map(String.init)
            let input = fields.count > 1 ? fields[1].replacingOccurrences(of: "input:", with: "") : ""
            let cost = table[key]!
            rows.append([fields[0], input, fields.dropFirst(2).joined(separator: " "),
                         LutCommand.format(cost.latencyMs), LutCommand.format(cost.energyMJ)])
        }
        print(TextColumns.format(rows))
    }

    /// The fusion file's order: the searchable operators in `STEP_STEP_PRIMITIVES` order, `SE2` after `SE1`.
    private static func fusionOrder(_ a: String, _ b: String) -> Bool {
        let ops = ["Sum", "ScaleDotAttn", "LinearGLU", "ConcatFC", "SE1", "SE2", "CatConvMish"]
        func rank(_ key: String) -> Int { ops.firstIndex(of: String(key.prefix { $0 != "-" })) ?? ops.count }
        return (rank(a), a) < (rank(b), b)
    }

    /// Stem and other convolutions, then blocks, then the classifier; larger inputs first.
    private static func layerOrder(_ a: String, _ b: String) -> Bool {
        func rank(_ key: String) -> [Int] {
            let type = ["ConvLayer", "MBConvLayer", "LinearLayer"].firstIndex(of: String(key.prefix { $0 != "-" })) ?? 3
            let numbers = key.split { !$0.isNumber }.compactMap { Int($0) }
            let resolution = numbers.count > 2 ? numbers[2] : 0
            return [type, -resolution] + numbers
        }
        return rank(a).lexicographicallyPrecedes(rank(b))
    }
}

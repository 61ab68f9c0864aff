import ArgumentParser
import Foundation
import HardwareTX2
import HNASKit

/// `hnas lut validate`: leave-one-out quality of the fallback predictor on every measured table.
struct LutValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Leave-one-out error of the missing-layer predictor on every backbone table.",
        discussion: """
            For each table, each entry is predicted by a model fitted on all the others. Printed: median and
            maximum absolute error (%), the share of predictions within ±10% (nn-Meter's metric) and Kendall's
            tau between predicted and measured values (HELP's metric).

            Example:
              hnas lut validate
              hnas lut validate --json --predictors-out predictors/
              hnas lut validate --table my_device.json
            """
    )

    @Flag(help: "Print the results as JSON.")
    var json = false

    @Option(help: "Also write each table's fitted predictor as JSON into this directory.")
    var predictorsOut: String?

    @Option(help: "Also validate on a host table written by `hnas lut profile` (repeatable).")
    var table: [String] = []

    func run() throws {
        var results: [PredictorValidation] = []
        var predictors: [CostPredictor] = []
        for device in JetsonModel.Device.allCases {
            let model = try JetsonModel(device: device)
            for dataset in model.datasets {
                results += PredictorValidation.leaveOneOut(try model.backboneTable(dataset: dataset))
                predictors.append(try model.predictor(dataset: dataset))
            }
        }
        for path in table {
            let host = try MeasuredTable.load(path: path)
            results += PredictorValidation.leaveOneOut(host)
            predictors.append(CostPredictor(fittedOn: host))
        }
        if let predictorsOut { try write(predictors, to: predictorsOut) }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            print(String(decoding: try encoder.encode(results), as: UTF8.self))
            return
        }
        var rows = [["table", "quantity", "entries", "median err %", "max err %", "within ±10%", "Kendall tau"]]
        for r in results {
            rows.append([r.table, r.quantity, "\(r.entries)", LutCommand.format(r.medianErrorPercent, decimals: 1),
                         LutCommand.format(r.maxErrorPercent, decimals: 1),
                         LutCommand.format(r.shareWithin10Percent * 100, decimals: 0) + "%", LutCommand.format(r.kendallTau, decimals: 3)])
        }
        print(TextColumns.format(rows))
    }

    private func write(_ predictors: [CostPredictor], to directory: String) throws {
        let folder = URL(fileURLWithPath: directory)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw HNASError.file(directory, "cannot write predictors", why: FileContents.reason(error))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        for predictor in predictors {
            try AtomicFile.write(try encoder.encode(predictor), to: folder.appendingPathComponent("\(predictor.table).predictor.json"),
                                 "cannot write predictors")
        }
    }
}

import ArgumentParser
import Foundation
import HardwareTX2
import HNASKit

/// `hnas lut …`: the measured latency/energy tables, estimates for an architecture, and the
/// quality of the fallback predictor.
struct LutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lut",
        abstract: "Latency/energy look-up tables: show them, estimate an architecture, validate the fallback predictor.",
        discussion: """
            Example:
              hnas lut show --device tx2 --dataset avmnist
              hnas lut estimate --device tx2 --dataset avmnist --arch Examples/avmnist-best-3.json
              hnas lut validate
              hnas lut profile --dataset avmnist --out my_device.json
              hnas lut estimate --device host --table my_device.json --dataset avmnist --arch Examples/avmnist-example.json
            """,
        subcommands: [LutShowCommand.self, LutEstimateCommand.self, LutValidateCommand.self, LutProfileCommand.self]
    )

    /// The model of `device`: a Jetson board, or `host` with the table at `table` (profiled on
    /// demand, announced on stderr, when there is none).
    /// - Throws: `HNASError` listing the valid devices, or for `--table` with a Jetson.
    static func model(_ device: String, table: String?) throws -> any HardwareModel {
        guard device == "host" else {
            guard table == nil else {
                throw HNASError.argument("--table", why: "only for --device host (the \(device) tables are bundled)")
            }
            return try jetsonModel(device)
        }
        if let table { return try HostModel(table: try MeasuredTable.load(path: table)) }
        let model = HostModel(profiler: try HostProfiler()) { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        if let operators = try makeRegistry().fusionSearches.make("darts") as? any FusionOperatorSource {
            model.attach(fusionOperators: operators)
        }
        return model
    }

    /// A readable name of the device behind `model`.
    static func deviceName(_ model: any HardwareModel) -> String {
        if let jetson = model as? JetsonModel { return "the \(jetson.device.boardName)" }
        if let table = (model as? HostModel)?.table { return "this host (table \(table.name))" }
        return "this host (profiled now)"
    }

    /// The table-backed model of `device`.
    /// - Throws: `HNASError` listing the valid devices.
    static func jetsonModel(_ device: String) throws -> JetsonModel {
        guard let board = JetsonModel.Device(rawValue: device) else {
            let valid = (JetsonModel.Device.allCases.map(\.rawValue) + ["host"]).joined(separator: ", ")
            throw HNASError.argument("--device", why: "'\(device)' is not a known device (valid: \(valid))")
        }
        return try JetsonModel(device: board)
    }

    /// `12.345678` with a fixed number of decimals, or `n/a`.
    static func format(_ value: Double?, decimals: Int = 4) -> String {
        guard let value else { return "n/a" }
        return String(format: "%.\(decimals)f", value)
    }
}

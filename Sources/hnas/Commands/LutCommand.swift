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
            """,
        subcommands: [LutShowCommand.self, LutEstimateCommand.self, LutValidateCommand.self]
    )

    /// The table-backed model of `device`.
    /// - Throws: `HNASError` listing the valid devices.
    static func jetsonModel(_ device: String) throws -> JetsonModel {
        guard let board = JetsonModel.Device(rawValue: device) else {
            let valid = JetsonModel.Device.allCases.map(\.rawValue).joined(separator: ", ")
            throw HNASError.argument("--device", why: "'\(device)' is not a known device (valid: \(valid))")
        }
        return try JetsonModel(device: board)
    }

    /// `12.345678` with a fixed number of decimals, or `n/a`.
    static func format(_ value: Double?, decimals: Int = 4) -> String {
        guard let value else { return "n/a" }
        return String(format: "%.\(decimals)f", value)
    }

    /// Left-aligned text columns separated by two spaces.
    static func columns(_ rows: [[String]]) -> String {
        guard let width = rows.map(\.count).max() else { return "" }
        let widths = (0..<width).map { i in rows.map { i < $0.count ? $0[i].count : 0 }.max()! }
        return rows.map { row in
            row.enumerated().map { i, cell in i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

import HNASKit

/// Latency and energy on an NVIDIA Jetson board from the tables Harmonic-NAS measured: one
/// backbone table per dataset and one fusion-operator table (SPEC-hardware §1–2).
///
/// A backbone cost is the original's ordered sum of the layers' table entries. A layer missing
/// from its table (the original raises a KeyError) is predicted by a `CostPredictor` fitted on
/// that table and its row is flagged `predicted`.
public struct JetsonModel: HardwareModel, Sendable {
    /// The measured boards.
    public enum Device: String, CaseIterable, Sendable {
        case tx2, agx

        /// Human-readable board name.
        public var boardName: String {
            switch self {
            case .tx2: return "NVIDIA Jetson TX2"
            case .agx: return "NVIDIA Jetson AGX Xavier"
            }
        }
    }

    /// Dataset name → the infix of its backbone table file (`lut_ofa_<infix>_<device>.json`).
    public static let tableInfixes: [(dataset: String, infix: String)] = [("avmnist", "mnist"), ("mmimdb", "imdb"), ("memes", "memes")]

    /// The board whose tables this model reads.
    public let device: Device
    /// Channels `C` and length `L` of the fusion operators' inputs (the configs' `C`, `L`); the
    /// tables hold only C = 192, L = 16.
    public let fusionChannels: Int
    public let fusionLength: Int
    /// Dataset name → its measured backbone table.
    public let backboneTables: [String: MeasuredTable]
    /// The board's measured fusion-operator table.
    public let fusionTable: MeasuredTable
    private let predictors: [String: CostPredictor]

    /// Loads the bundled tables of `device` and fits one fallback predictor per backbone table.
    public init(device: Device, fusionChannels: Int = 192, fusionLength: Int = 16) throws {
        var tables: [String: MeasuredTable] = [:]
        for (dataset, infix) in Self.tableInfixes {
            tables[dataset] = try MeasuredTable.bundled("lut_ofa_\(infix)_\(device.rawValue)")
        }
        self.device = device
        self.fusionChannels = fusionChannels
        self.fusionLength = fusionLength
        backboneTables = tables
        fusionTable = try MeasuredTable.bundled("lut_fusion_\(device.rawValue)")
        predictors = tables.mapValues { CostPredictor(fittedOn: $0) }
    }

    public var name: String { device.rawValue }

    public var datasets: [String] { Self.tableInfixes.map(\.dataset) }

    /// The backbone table of `dataset`.
    /// - Throws: `HNASError` listing the valid datasets.
    public func backboneTable(dataset: String) throws -> MeasuredTable {
        guard let table = backboneTables[dataset] else {
            throw HNASError.argument("--dataset", why: "'\(dataset)' has no \(name) table (valid: \(datasets.joined(separator: ", ")))")
        }
        return table
    }

    /// The predictor fitted on the backbone table of `dataset`.
    public func predictor(dataset: String) throws -> CostPredictor {
        _ = try backboneTable(dataset: dataset)
        return predictors[dataset]!
    }

    public func backboneCost(_ layers: [LayerDescriptor], dataset: String) throws -> CostReport {
        let table = try backboneTable(dataset: dataset)
        let predictor = predictors[dataset]!
        return CostReport(rows: layers.map { layer in
            let key = layer.lutKey
            if let cost = table[key] { return CostRow(key: key, cost: cost, predicted: false) }
            return CostRow(key: key, cost: predictor.predict(layer), predicted: true)
        })
    }

    /// The fusion table key of operator `op`, e.g. `ConcatFC-input:1_192_16-N:1-C:192-L:16`.
    public func fusionKey(_ op: String) -> String {
        Self.fusionKey(op, channels: fusionChannels, length: fusionLength)
    }

    /// The fusion table key of operator `op` on `[1, channels, length]` inputs (the original's format).
    public static func fusionKey(_ op: String, channels: Int, length: Int) -> String {
        "\(op)-input:1_\(channels)_\(length)-N:1-C:\(channels)-L:\(length)"
    }

    /// Σ of the operators' entries (SPEC-fusion §7.4). Operators are not predicted: with one
    /// measured shape per operator there is nothing to fit.
    /// - Throws: `HNASError` naming the missing key and the measured ones.
    public func fusionCost(operators: [String]) throws -> CostReport {
        CostReport(rows: try operators.map { op in
            let key = fusionKey(op)
            guard let cost = fusionTable[key] else {
                throw HNASError("fusion operator not in table", .argument(key),
                                why: "\(fusionTable.name) measures only: \(fusionTable.keys.joined(separator: ", "))")
            }
            return CostRow(key: key, cost: cost, predicted: false)
        })
    }
}

import Foundation
import HNASKit

/// Latency and energy on the machine hnas runs on, from a table measured by `HostProfiler`
/// (`hnas lut profile`), or — without one — profiled on demand the first time a dataset is costed. Which layers
/// a dataset has comes from the backbones attached for it (`attach(backbones:dataset:)`: a search and
/// `hnas lut estimate` attach their pipeline's costed backbones).
///
/// Costs are summed like the Jetson tables'; a key missing from a partial table is predicted by a
/// `CostPredictor` fitted on that table and flagged. Fusion operators are priced from the table's
/// fusion entries (`hnas lut profile` measures them), or — without a table — measured on demand
/// once a fusion plugin's operators are attached (`attach(fusionOperators:)`, as a search does).
public final class HostModel: HardwareModel {
    /// The table read from a file, if one was given.
    public let table: MeasuredTable?
    private let profiler: HostProfiler
    private let log: (String) -> Void
    /// Tables profiled on demand, by dataset.
    private var profiled: [String: MeasuredTable] = [:]
    /// The layer configurations of each dataset's attached backbones.
    private var layers: [String: [ProfiledLayer]] = [:]
    /// Why attached backbones cannot be profiled (not OFA supernets), by dataset.
    private var unprofilable: [String: HNASError] = [:]
    private var predictors: [String: CostPredictor] = [:]
    /// The fusion operators to measure on demand, once attached.
    private var fusionOperators: (any FusionOperatorSource)?
    /// Fusion-operator costs measured on demand, by table key.
    private var profiledFusion: [String: Cost]?

    /// A model backed by `table` (e.g. `MeasuredTable.load(path:)`).
    public init(table: MeasuredTable) throws {
        self.table = table
        profiler = try HostProfiler()
        log = { _ in }
    }

    /// A model without a table: each dataset's layers are measured by `profiler` when first needed,
    /// announced through `log` (the CLI writes it to stderr).
    public init(profiler: HostProfiler, log: @escaping (String) -> Void) {
        table = nil
        self.profiler = profiler
        self.log = log
    }

    public var name: String { "host" }

    public var datasets: [String] { (Set(layers.keys).union(unprofilable.keys)).sorted() }

    public func attach(backbones: [any Backbone], dataset: String) {
        do {
            layers[dataset] = try ProfiledLayer.searchSpace(backbones: backbones)
            unprofilable[dataset] = nil
        } catch let error as HNASError {
            unprofilable[dataset] = error
        } catch {
            unprofilable[dataset] = HNASError.argument("--dataset", why: "\(error)")
        }
    }

    /// The table costing `dataset`: the given one, or a fresh profile of the search space of its attached backbones.
    /// - Throws: `HNASError` when the given table has no layer of `dataset`'s backbones, or without a table when no
    ///   backbones were attached for `dataset` or they are not OFA supernets.
    public func backboneTable(dataset: String) throws -> MeasuredTable {
        if let table {
            if let layers = layers[dataset], !layers.contains(where: { table[$0.key] != nil }) {
                throw HNASError("host table does not cover the dataset", .file(table.name),
                                why: "it has none of the \(layers.count) layer configurations of \(dataset); measure them with "
                                    + "`hnas lut profile --dataset \(dataset) --out FILE`")
            }
            return table
        }
        if let error = unprofilable[dataset] { throw error }
        guard let layers = layers[dataset] else {
            throw HNASError.argument("--dataset", why: "the host model knows no backbones of '\(dataset)' (attached: "
                                     + (datasets.isEmpty ? "none" : datasets.joined(separator: ", ")) + ")")
        }
        if let cached = profiled[dataset] { return cached }
        log("host: no --table given, profiling the \(layers.count) layer configurations of \(dataset) now "
            + "(\(profiler.repeats) repeats each); save a table once with `hnas lut profile --dataset \(dataset) --out FILE`")
        let fresh = try profiler.profile(layers, name: "host_\(dataset)")
        profiled[dataset] = fresh
        return fresh
    }

    public func backboneCost(_ layers: [LayerDescriptor], dataset: String) throws -> CostReport {
        let table = try backboneTable(dataset: dataset)
        return CostReport(rows: layers.map { layer in
            let key = layer.lutKey
            if let cost = table[key] { return CostRow(key: key, cost: cost, predicted: false) }
            return CostRow(key: key, cost: predictor(for: table).predict(layer), predicted: true)
        })
    }

    /// The table key of fusion operator `op` (the Jetson tables' format, `[1, 192, 16]` inputs).
    public static func fusionKey(_ op: String) -> String {
        JetsonModel.fusionKey(op, channels: HostProfiler.fusionChannels, length: HostProfiler.fusionLength)
    }

    /// True when the table holds fusion-operator entries, or, without a table, once fusion operators
    /// are attached to be measured on demand.
    public var measuresFusionOperators: Bool {
        guard let table else { return fusionOperators != nil }
        let suffix = Self.fusionKey("")
        return table.entries.keys.contains { $0.hasSuffix(suffix) && $0.count > suffix.count }
    }

    public func attach(fusionOperators source: any FusionOperatorSource) {
        fusionOperators = source
    }

    /// Σ of the operators' entries, from the table or measured on demand (the first call measures every
    /// operator of the attached source, announced through the log).
    /// - Throws: `HNASError` naming the missing key and saying how to measure it.
    public func fusionCost(operators: [String]) throws -> CostReport {
        let entries: [String: Cost]
        if let table {
            entries = table.entries
        } else if let measured = profiledFusion {
            entries = measured
        } else if let source = fusionOperators {
            log("host: profiling the \(source.operatorNames.count) fusion operators now (\(profiler.repeats) repeats each)")
            let measured = Dictionary(uniqueKeysWithValues: try profiler.measureFusion(source).map { ($0.key, $0.cost) })
            profiledFusion = measured
            entries = measured
        } else {
            entries = [:]
        }
        return CostReport(rows: try operators.map { op in
            let key = Self.fusionKey(op)
            guard let cost = entries[key] else {
                throw HNASError("no host cost for fusion operator", .argument(key),
                                why: table.map { "table \($0.name) has no entry for it; measure one with `hnas lut profile --dataset D --out FILE`" }
                                    ?? "no fusion operators were given to measure")
            }
            return CostRow(key: key, cost: cost, predicted: false)
        })
    }

    private func predictor(for table: MeasuredTable) -> CostPredictor {
        if let fitted = predictors[table.name] { return fitted }
        let fitted = CostPredictor(fittedOn: table)
        predictors[table.name] = fitted
        return fitted
    }
}

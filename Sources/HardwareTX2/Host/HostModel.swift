import Foundation
import HNASKit

/// Latency and energy on the machine hnas runs on, from a table measured by `HostProfiler`
/// (`hnas lut profile`), or — without one — profiled on demand the first time a dataset is costed.
///
/// Costs are summed like the Jetson tables'; a key missing from a partial table is predicted by a
/// `CostPredictor` fitted on that table and flagged. Fusion operators are not profiled on the host.
public final class HostModel: HardwareModel {
    /// The table read from a file, if one was given.
    public let table: MeasuredTable?
    private let profiler: HostProfiler
    private let log: (String) -> Void
    /// Tables profiled on demand, by dataset.
    private var profiled: [String: MeasuredTable] = [:]
    private var predictors: [String: CostPredictor] = [:]

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

    public var datasets: [String] { StockBackbones.datasets }

    /// The table costing `dataset`: the given one, or a fresh profile of the dataset's search space.
    /// - Throws: `HNASError` when the given table has no layer of `dataset`, or for an unknown dataset.
    public func backboneTable(dataset: String) throws -> MeasuredTable {
        let layers = try ProfiledLayer.searchSpace(dataset: dataset)
        if let table {
            guard layers.contains(where: { table[$0.key] != nil }) else {
                throw HNASError("host table does not cover the dataset", .file(table.name),
                                why: "it has none of the \(layers.count) layer configurations of \(dataset); measure them with "
                                    + "`hnas lut profile --dataset \(dataset) --out FILE`")
            }
            return table
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

    public var measuresFusionOperators: Bool { false }

    /// - Throws: always: fusion operators are not profiled on the host.
    public func fusionCost(operators: [String]) throws -> CostReport {
        throw HNASError("no host cost for fusion operators", .argument(operators.joined(separator: ", ")),
                        why: "`hnas lut profile` measures backbone layers only")
    }

    private func predictor(for table: MeasuredTable) -> CostPredictor {
        if let fitted = predictors[table.name] { return fitted }
        let fitted = CostPredictor(fittedOn: table)
        predictors[table.name] = fitted
        return fitted
    }
}

/// Latency and energy of one layer or operator, batch 1. Energy is `nil` where it was not measured.
public struct Cost: Equatable, Codable, Sendable {
    /// Latency in milliseconds.
    public var latencyMs: Double
    /// Energy in millijoules; `nil` when the table has no energy (a host without a readable power counter).
    public var energyMJ: Double?

    public init(latencyMs: Double, energyMJ: Double?) {
        self.latencyMs = latencyMs
        self.energyMJ = energyMJ
    }

    /// No cost: the start of a sum.
    public static let zero = Cost(latencyMs: 0, energyMJ: 0)

    /// Sums as the original does: latency and energy independently, in double precision.
    public static func + (a: Cost, b: Cost) -> Cost {
        Cost(latencyMs: a.latencyMs + b.latencyMs,
             energyMJ: a.energyMJ.flatMap { x in b.energyMJ.map { x + $0 } })
    }
}

/// One row of a cost report: the table key, its cost, and whether the cost was predicted
/// because the key is missing from the measured table.
public struct CostRow: Equatable, Codable, Sendable {
    public var key: String
    public var cost: Cost
    public var predicted: Bool

    public init(key: String, cost: Cost, predicted: Bool) {
        self.key = key
        self.cost = cost
        self.predicted = predicted
    }
}

/// A per-layer breakdown and its total.
public struct CostReport: Equatable, Codable, Sendable {
    public var rows: [CostRow]

    public init(rows: [CostRow]) {
        self.rows = rows
    }

    /// The original's sum over rows, in order.
    public var total: Cost { rows.reduce(Cost.zero) { $0 + $1.cost } }
    /// The rows whose cost was predicted rather than measured.
    public var predictedRows: [CostRow] { rows.filter(\.predicted) }
}

/// A device's latency/energy model (measured look-up tables, a fitted predictor, or a profile of the host).
public protocol HardwareModel {
    /// The registry name, e.g. `"tx2"`.
    var name: String { get }
    /// The datasets (pipelines' hardware keys) whose backbone tables this model has, e.g. `["avmnist", "mmimdb",
    /// "memes"]`; a model that measures on demand (the host) has those whose backbones were attached.
    var datasets: [String] { get }
    /// Cost of a backbone given as layer descriptors, for the table of `dataset`.
    func backboneCost(_ layers: [LayerDescriptor], dataset: String) throws -> CostReport
    /// Cost of the fusion operators a genotype uses (one entry per chosen operator, repeats allowed).
    func fusionCost(operators: [String]) throws -> CostReport
    /// Whether `fusionCost` knows fusion operators. A model that measures backbone layers only
    /// (the host profile) says `false`, and architecture estimates then leave fusion out, with a note.
    var measuresFusionOperators: Bool { get }
    /// Gives a model that measures on demand (the host) the fusion operators it may have to price
    /// (the search's fusion plugin); table-backed models ignore it.
    func attach(fusionOperators: any FusionOperatorSource)
    /// Gives a model that measures on demand (the host) the backbones whose layers `dataset` (a pipeline's hardware
    /// key) is costed with, so it can profile their search space; table-backed models ignore it.
    func attach(backbones: [any Backbone], dataset: String)
}

extension HardwareModel {
    public var measuresFusionOperators: Bool { true }
    public func attach(fusionOperators: any FusionOperatorSource) {}
    public func attach(backbones: [any Backbone], dataset: String) {}
}

import HNASKit

/// Fronts, crowding distances, rank-and-crowding survivors and hypervolume of a results table — what
/// `hnas pareto` prints. Rows are numbered from 1 (the first data line after the header).
public struct ParetoReport: Equatable, Codable, Sendable {
    /// One table row's standing.
    public struct Row: Equatable, Codable, Sendable {
        /// 1-based data row.
        public var row: Int
        /// Front number, 0 = non-dominated.
        public var front: Int
        /// Crowding distance within its front (+∞ for extremes and fronts of ≤ 2 points).
        public var crowding: Double
        /// Whether the row is among the `--select` survivors.
        public var selected: Bool
    }

    /// The objectives, e.g. `["acc:max", "latency:min"]`.
    public var objectives: [String]
    public var rows: [Row]
    /// Every front (1-based rows), in pymoo's discovery order.
    public var fronts: [[Int]]
    /// The `--select K` survivors (1-based rows) in survival order; `nil` without `--select`.
    public var selected: [Int]?
    /// The reference point in the table's units (maximised objectives not negated).
    public var reference: [Double]
    /// The hypervolume dominated by the rows (equivalently by front 0) up to `reference`, in the
    /// minimisation space (a maximised objective counts as its negation).
    public var hypervolume: Double

    /// Analyses `table`.
    /// - Parameters:
    ///   - select: how many rows survive (`--select K`), `nil` for none.
    ///   - reference: `--hv-ref` in the table's units; by default, per objective, the worst value plus
    ///     10 % of the objective's range (plus 1 when the range is 0).
    ///   - seed: seeds the tie-breaking of the survival.
    /// - Throws: `HNASError` for bad cells or columns, a reference of the wrong length, or `K` outside 1…rows.
    public init(table: ResultsTable, objectives: [ObjectiveSpec], select: Int? = nil, reference: [Double]? = nil,
                seed: UInt64 = 0) throws {
        let points = try table.objectiveMatrix(objectives)
        guard points.count > 0 else { throw HNASError.file(table.source, "no rows", why: "the table has a header but no data rows") }
        if let k = select, !(1...points.count).contains(k) {
            throw HNASError.argument("--select", why: "must be between 1 and \(points.count) (the rows of '\(table.source)'), got \(k)")
        }
        let minimisedReference: [Double]
        if let reference {
            guard reference.count == objectives.count else {
                throw HNASError.argument("--hv-ref", why: "has \(reference.count) values for \(objectives.count) objectives")
            }
            minimisedReference = zip(reference, objectives).map { $1.maximise ? -$0 : $0 }
        } else {
            minimisedReference = (0..<points.dimension).map { j in
                let column = (0..<points.count).map { points[$0, j] }
                let worst = column.max()!, range = worst - column.min()!
                return worst + (range > 0 ? 0.1 * range : 1)
            }
        }
        let fronts = NonDominatedSorting.fronts(points)
        var rows = [Row](repeating: Row(row: 0, front: 0, crowding: 0, selected: false), count: points.count)
        for (k, front) in fronts.enumerated() {
            for (position, distance) in CrowdingDistance.of(points, front: front).enumerated() {
                rows[front[position]] = Row(row: front[position] + 1, front: k, crowding: distance, selected: false)
            }
        }
        if let k = select {
            var rng = SeededGenerator(seed: seed)
            let survivors = RankAndCrowdingSurvival.select(points, count: k, using: &rng).survivors
            for i in survivors { rows[i].selected = true }
            self.selected = survivors.map { $0 + 1 }
        } else {
            self.selected = nil
        }
        self.objectives = objectives.map(\.description)
        self.rows = rows
        self.fronts = fronts.map { $0.map { $0 + 1 } }
        self.reference = zip(minimisedReference, objectives).map { $1.maximise ? -$0 : $0 }
        self.hypervolume = try Hypervolume.of(points.rows(fronts[0]), reference: minimisedReference)
    }
}

import HNASKit

/// The fallback for layers missing from a measured table: a linear model of latency and of
/// energy on the layer's type, its count of elementary operators, multiply-accumulates,
/// parameters and activation bytes (`LayerFeatures`), fitted on the table's own entries.
///
/// The fit minimises the squared *relative* error (rows weighted by 1/measured²) because the
/// tables span two orders of magnitude and users judge predictions in percent, with a tiny ridge
/// term so a layer type with a single entry (the classifier) still gives a solvable system.
/// Predictions are clamped at 0. Stored as JSON (`Codable`), never as a pickle.
public struct CostPredictor: Codable, Equatable, Sendable {
    /// The table the model was fitted on.
    public var table: String
    /// Names of the regression inputs, in coefficient order.
    public var features: [String]
    public var latencyCoefficients: [Double]
    public var energyCoefficients: [Double]
    /// Number of table entries used for the fit.
    public var samples: Int

    /// Relative strength of the ridge term (on standardised inputs).
    static let ridge = 1e-6

    /// Fits on every entry of `table` whose key parses as an "ofa" layer.
    public init(fittedOn table: MeasuredTable) {
        let samples = table.keys.compactMap { key in LayerDescriptor(lutKey: key).map { ($0, table[key]!) } }
        self.init(fittedOn: samples, table: table.name)
    }

    /// Fits on `samples` (layer, measured cost).
    init(fittedOn samples: [(layer: LayerDescriptor, cost: Cost)], table: String) {
        let rows = samples.map { LayerFeatures($0.layer).vector }
        self.table = table
        features = LayerFeatures.names
        latencyCoefficients = Self.fit(rows, samples.map { $0.cost.latencyMs })
        let energy = samples.indices.filter { samples[$0].cost.energyMJ != nil }
        energyCoefficients = Self.fit(energy.map { rows[$0] }, energy.map { samples[$0].cost.energyMJ! })
        self.samples = samples.count
    }

    /// The predicted cost of `layer`; energy is `nil` when the table had no energy values.
    public func predict(_ layer: LayerDescriptor) -> Cost {
        let x = LayerFeatures(layer).vector
        func apply(_ beta: [Double]) -> Double { max(0, zip(x, beta).reduce(0) { $0 + $1.0 * $1.1 }) }
        return Cost(latencyMs: apply(latencyCoefficients),
                    energyMJ: energyCoefficients.allSatisfy { $0 == 0 } ? nil : apply(energyCoefficients))
    }

    /// Weighted ridge least squares: minimises Σ ((x·β − y) / y)² + λ·n·|D β|², D = column RMS of
    /// the weighted design. Returns zeros when there is nothing to fit.
    static func fit(_ rows: [[Double]], _ targets: [Double]) -> [Double] {
        let width = LayerFeatures.names.count
        let usable = targets.indices.filter { targets[$0] > 0 }
        guard !usable.isEmpty else { return Array(repeating: 0, count: width) }
        let a = usable.map { i in rows[i].map { $0 / targets[i] } }
        let scale = (0..<width).map { j in (a.reduce(0) { $0 + $1[j] * $1[j] } / Double(a.count)).squareRoot() }
        var normal = Array(repeating: Array(repeating: 0.0, count: width), count: width)
        var rhs = Array(repeating: 0.0, count: width)
        for row in a {
            for j in 0..<width {
                rhs[j] += row[j]   // the weighted target is y/y = 1
                for k in 0..<width { normal[j][k] += row[j] * row[k] }
            }
        }
        for j in 0..<width { normal[j][j] += ridge * Double(a.count) * max(scale[j] * scale[j], 1e-12) }
        return solve(normal, rhs)
    }

    /// Gaussian elimination with partial pivoting on a small symmetric positive-definite system.
    private static func solve(_ matrix: [[Double]], _ vector: [Double]) -> [Double] {
        var m = matrix, v = vector
        let n = v.count
        for col in 0..<n {
            let pivot = (col..<n).max { abs(m[$0][col]) < abs(m[$1][col]) }!
            m.swapAt(col, pivot)
            v.swapAt(col, pivot)
            guard m[col][col] != 0 else { continue }
            for row in (col + 1)..<n {
                let factor = m[row][col] / m[col][col]
                guard factor != 0 else { continue }
                for k in col..<n { m[row][k] -= factor * m[col][k] }
                v[row] -= factor * v[col]
            }
        }
        var x = Array(repeating: 0.0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            let rest = ((row + 1)..<n).reduce(0.0) { $0 + m[row][$1] * x[$1] }
            x[row] = m[row][row] == 0 ? 0 : (v[row] - rest) / m[row][row]
        }
        return x
    }
}

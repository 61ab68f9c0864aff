import HNASKit

/// How well `CostPredictor` stands in for a measured table, by leave-one-out: each entry is
/// predicted by a model fitted on all the others. Reports the median and maximum absolute error
/// in percent, the share of predictions within ±10% (nn-Meter's accuracy metric) and Kendall's
/// τ-b between predicted and measured values (the rank correlation HELP reports).
public struct PredictorValidation: Codable, Equatable, Sendable {
    /// The table, e.g. `lut_ofa_mnist_tx2`.
    public var table: String
    /// `lat` or `enrg`.
    public var quantity: String
    public var entries: Int
    public var medianErrorPercent: Double
    public var maxErrorPercent: Double
    /// In [0, 1].
    public var shareWithin10Percent: Double
    public var kendallTau: Double

    /// Leave-one-out validation of latency and energy on `table` (latency only when the table has
    /// no energy values, as a host table without RAPL).
    public static func leaveOneOut(_ table: MeasuredTable) -> [PredictorValidation] {
        let samples = table.keys.compactMap { key in LayerDescriptor(lutKey: key).map { (layer: $0, cost: table[key]!) } }
        var predicted: [Cost] = []
        for held in samples.indices {
            var rest = samples
            rest.remove(at: held)
            predicted.append(CostPredictor(fittedOn: rest, table: table.name).predict(samples[held].layer))
        }
        let latency = summary(measured: samples.map(\.cost.latencyMs), predicted: predicted.map(\.latencyMs),
                              table: table.name, quantity: "lat")
        let energyRows = samples.indices.filter { samples[$0].cost.energyMJ != nil && predicted[$0].energyMJ != nil }
        let energy = summary(measured: energyRows.map { samples[$0].cost.energyMJ! },
                             predicted: energyRows.map { predicted[$0].energyMJ! }, table: table.name, quantity: "enrg")
        return energyRows.isEmpty ? [latency] : [latency, energy]
    }

    static func summary(measured: [Double], predicted: [Double], table: String, quantity: String) -> PredictorValidation {
        let errors = zip(measured, predicted).map { abs($1 - $0) / abs($0) * 100 }.sorted()
        return PredictorValidation(table: table, quantity: quantity, entries: measured.count,
                                   medianErrorPercent: median(errors), maxErrorPercent: errors.last ?? .nan,
                                   shareWithin10Percent: errors.isEmpty ? .nan
                                       : Double(errors.filter { $0 <= 10 }.count) / Double(errors.count),
                                   kendallTau: kendallTau(measured, predicted))
    }

    /// Kendall's τ-b (ties in either list reduce the denominator); NaN when a list is constant.
    static func kendallTau(_ x: [Double], _ y: [Double]) -> Double {
        var concordant = 0.0, discordant = 0.0, tiesX = 0.0, tiesY = 0.0
        for i in x.indices {
            for j in (i + 1)..<x.count {
                let dx = x[i] - x[j], dy = y[i] - y[j]
                if dx == 0 && dy == 0 { continue }
                if dx == 0 { tiesX += 1 } else if dy == 0 { tiesY += 1 }
                else if (dx > 0) == (dy > 0) { concordant += 1 } else { discordant += 1 }
            }
        }
        let denominator = ((concordant + discordant + tiesX) * (concordant + discordant + tiesY)).squareRoot()
        return denominator == 0 ? .nan : (concordant - discordant) / denominator
    }
}

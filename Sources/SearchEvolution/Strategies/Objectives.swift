import HNASKit

/// The original's objective rows and hnas's constraint violations for backbones and multimodal candidates.
///
/// Rows are `[100 − accuracy, latency, energy]`, all minimised. When no evaluation has an energy (a
/// hardware model without energy tables), rows are `[100 − accuracy, latency]`; a mix is an error.
/// The violation of a cost is `Σ max(0, value / limit − 1)` over the set limits — relative, so
/// milliseconds and millijoules add up.
enum Objectives {
    static func rows(accuracies: [Double], costs: [Cost], what: String) throws -> ObjectiveMatrix {
        let withEnergy = costs.filter { $0.energyMJ != nil }.count
        guard withEnergy == 0 || withEnergy == costs.count else {
            throw HNASError("cannot rank", .argument(what),
                            why: "\(withEnergy) of \(costs.count) evaluations have an energy, the others none")
        }
        let rows = zip(accuracies, costs).map { accuracy, cost in
            [100 - accuracy, cost.latencyMs] + (cost.energyMJ.map { [$0] } ?? [])
        }
        do {
            return try ObjectiveMatrix(count: rows.count, dimension: withEnergy > 0 ? 3 : 2, values: rows.flatMap { $0 })
        } catch {
            throw HNASError("cannot rank", .argument(what), why: "an evaluation returned NaN accuracy or cost")
        }
    }

    static func violations(costs: [Cost], settings: SearchSettings) throws -> [Double]? {
        guard settings.maxLatencyMs != nil || settings.maxEnergyMJ != nil else { return nil }
        return try costs.map { cost in
            var violation = 0.0
            if let limit = settings.maxLatencyMs { violation += max(0, cost.latencyMs / limit - 1) }
            if let limit = settings.maxEnergyMJ {
                guard let energy = cost.energyMJ else {
                    throw HNASError.argument("--max-energy", why: "the hardware model gives no energy to compare with the limit")
                }
                violation += max(0, energy / limit - 1)
            }
            return violation
        }
    }
}

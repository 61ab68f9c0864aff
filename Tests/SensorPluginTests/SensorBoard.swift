import HNASKit

/// A test-only device: 0.01 ms and 0.02 mJ per linear layer output unit, 0.1 ms per fusion operator.
struct SensorBoard: HardwareModel {
    static let key = "sensor-board"
    let name = SensorBoard.key
    let datasets = [SensorPipeline.key]

    func backboneCost(_ layers: [LayerDescriptor], dataset: String) throws -> CostReport {
        CostReport(rows: layers.map { layer in
            guard case let .linear(_, outputs) = layer else {
                return CostRow(key: layer.lutKey, cost: Cost(latencyMs: 1, energyMJ: 1), predicted: true)
            }
            return CostRow(key: layer.lutKey, cost: Cost(latencyMs: 0.01 * Double(outputs), energyMJ: 0.02 * Double(outputs)), predicted: false)
        })
    }

    func fusionCost(operators: [String]) throws -> CostReport {
        CostReport(rows: operators.map { CostRow(key: $0, cost: Cost(latencyMs: 0.1, energyMJ: 0.1), predicted: false) })
    }
}

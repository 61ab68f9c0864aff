import HNASKit

/// The differentiable hardware cost of the supernet (SPEC-fusion §7.3): the expected latency and
/// energy `Σ_cells Σ_t softmax(gammas_i[t])·cost`, normalised by `S·T` times the table's range,
/// returned as `√lat_n + √enrg_n`.
///
/// The per-operator costs are read from the hardware model by name, in `STEP_STEP_PRIMITIVES`
/// order (not by file position, §10.6). The range is the original's hard-coded TX2 Sum and
/// CatConvMish values in the `original` protocol (even for another device, §10.5), and the loaded
/// table's own minimum and maximum in `sound`. The normalised values are clamped at 0 before the
/// square root (§10.5 guard); a device without energy figures contributes latency only.
struct HardwareTerm {
    /// TX2 (Sum, CatConvMish) latency and energy, the original's constants.
    static let originalLatencyRange = (0.05961958312988281, 0.6174259033203126)
    static let originalEnergyRange = (0.2972280216217041, 1.1336467642784118)

    let latency: [Float]
    let energy: [Float]?
    let latencyRange: (Double, Double)
    let energyRange: (Double, Double)

    init(hardware: any HardwareModel, fusionProtocol: FusionProtocol) throws {
        let rows = try hardware.fusionCost(operators: FusionOperators.searched).rows
        let lat = rows.map(\.cost.latencyMs), enrg = rows.compactMap(\.cost.energyMJ)
        latency = lat.map(Float.init)
        energy = enrg.count == rows.count ? enrg.map(Float.init) : nil
        switch fusionProtocol {
        case .original:
            latencyRange = Self.originalLatencyRange
            energyRange = Self.originalEnergyRange
        case .sound:
            latencyRange = (lat.min()!, lat.max()!)
            energyRange = enrg.isEmpty ? (0, 1) : (enrg.min()!, enrg.max()!)
        }
    }

    /// `√lat_n + √enrg_n` for the cells' `gammas`, differentiable in them.
    func callAsFunction(gammas: [Parameter]) throws -> Tensor {
        let latencyTerm = try normalisedLatency(gammas).sqrt()
        guard let energyN = try normalisedEnergy(gammas) else { return latencyTerm }
        return try latencyTerm + energyN.sqrt()
    }

    /// `lat_n`, clamped at 0 (plus 1e-12 so its square root stays differentiable).
    func normalisedLatency(_ gammas: [Parameter]) throws -> Tensor {
        try Self.normalised(latency, latencyRange, gammas)
    }

    /// `enrg_n` likewise, or `nil` when the device has no energy figures.
    func normalisedEnergy(_ gammas: [Parameter]) throws -> Tensor? {
        try energy.map { try Self.normalised($0, energyRange, gammas) }
    }

    private static func normalised(_ costs: [Float], _ range: (Double, Double), _ gammas: [Parameter]) throws -> Tensor {
        let operatorSteps = Float(gammas.reduce(0) { $0 + $1.shape[0] })
        let vector = try Tensor(shape: [costs.count, 1], scalars: costs)
        var expected = Tensor(scalar: 0)
        for g in gammas {
            expected = try expected + Tensor.matmul(g.value.softmax(axis: -1), vector).sum()
        }
        let low = operatorSteps * Float(range.0), span = operatorSteps * Float(range.1 - range.0)
        return ((expected - low) / max(span, 1e-12)).relu() + 1e-12
    }
}

import Foundation

/// The original's SGDR-like learning-rate rule for the fusion weights (SPEC-fusion §5.2), stepped
/// once per training batch before its update:
/// `Tcur = k/nbpe; k += 1; η = η_min + ½(η_max − η_min)(1 + cos(π·Tcur/Ti))`, and when
/// `η ≤ η_min + 1e-10` a restart (`k = 0`, `Ti ·= 2`). `nbpe` is the float quotient
/// `samples / batch size`, so a restart only fires when `k/nbpe` lands on `Ti` numerically.
struct OriginalWarmRestarts {
    let etaMax: Double
    let etaMin: Double
    let batchesPerEpoch: Double
    private(set) var period: Double = 1
    private var counter: Double = 0

    init(etaMax: Float, etaMin: Float, samples: Int, batchSize: Int) {
        self.etaMax = Double(etaMax)
        self.etaMin = Double(etaMin)
        batchesPerEpoch = Double(samples) / Double(batchSize)
    }

    /// The rate for the next batch.
    mutating func next() -> Float {
        let current = counter / batchesPerEpoch
        counter += 1
        let eta = etaMin + 0.5 * (etaMax - etaMin) * (1 + cos(Double.pi * current / period))
        if eta <= etaMin + 1e-10 {
            counter = 0
            period *= 2
        }
        return Float(eta)
    }
}

import Foundation

/// A learning rate as a function of the step (an epoch or an iteration: the caller decides the unit).
public protocol LearningRateSchedule {
    /// The rate for step `t` (0-based).
    func rate(at t: Int) -> Float
}

/// Cosine annealing from `base` to `minimum` over `total` steps, then `minimum`:
/// `min + (base − min)·(1 + cos(π·t/total))/2`.
public struct CosineSchedule: LearningRateSchedule {
    public let base: Float, total: Int, minimum: Float
    public init(base: Float, total: Int, minimum: Float = 0) {
        self.base = base; self.total = total; self.minimum = minimum
    }
    public func rate(at t: Int) -> Float {
        guard t < total else { return minimum }
        return minimum + (base - minimum) * Float(1 + cos(Double.pi * Double(t) / Double(Swift.max(total, 1)))) / 2
    }
}

/// Cosine annealing with warm restarts (SGDR, PyTorch's `CosineAnnealingWarmRestarts`): the first
/// cycle lasts `t0` steps, each next one `tMult` times longer; within a cycle of length Tᵢ at
/// position t꜀ the rate is `etaMin + (base − etaMin)·(1 + cos(π·t꜀/Tᵢ))/2`.
public struct CosineWarmRestartsSchedule: LearningRateSchedule {
    public let base: Float, t0: Int, tMult: Int, etaMin: Float
    public init(base: Float, t0: Int, tMult: Int = 1, etaMin: Float = 0) {
        precondition(t0 > 0 && tMult >= 1, "t0 must be positive and tMult at least 1")
        self.base = base; self.t0 = t0; self.tMult = tMult; self.etaMin = etaMin
    }
    public func rate(at t: Int) -> Float {
        var position = t, length = t0
        while position >= length {
            position -= length
            length *= tMult
        }
        return etaMin + (base - etaMin) * Float(1 + cos(Double.pi * Double(position) / Double(length))) / 2
    }
}

/// Step decay: `base · gamma^⌊t / stepSize⌋`.
public struct StepSchedule: LearningRateSchedule {
    public let base: Float, stepSize: Int, gamma: Float
    public init(base: Float, stepSize: Int, gamma: Float = 0.1) {
        precondition(stepSize > 0, "stepSize must be positive")
        self.base = base; self.stepSize = stepSize; self.gamma = gamma
    }
    public func rate(at t: Int) -> Float { base * Float(pow(Double(gamma), Double(t / stepSize))) }
}

/// Linear warm-up for `steps` steps (rate `after.rate(at: 0)·(t + 1)/steps`), then `after`
/// continuing from its step 0.
public struct LinearWarmupSchedule: LearningRateSchedule {
    public let steps: Int
    public let after: LearningRateSchedule
    public init(steps: Int, then after: LearningRateSchedule) {
        self.steps = steps; self.after = after
    }
    public func rate(at t: Int) -> Float {
        t < steps ? after.rate(at: 0) * Float(t + 1) / Float(steps) : after.rate(at: t - steps)
    }
}

import Foundation

/// The one seeded random number generator of hnas: xoshiro256** seeded through SplitMix64.
///
/// Every random decision of a run (weight init, dropout, shuffling, subnet sampling, mutation,
/// crossover, survival tie-breaking) draws from a generator derived from the run's seed, so the
/// same seed and inputs give the same results on every machine. The algorithms are fixed here
/// (not Swift's `random(in:)`, whose algorithm the standard library may change), and the state is
/// `Codable` so an interrupted run resumes with exactly the stream it had.
///
/// xoshiro256** is by Blackman and Vigna (2018); SplitMix64 expands a 64-bit seed into its state.
public struct SeededGenerator: RandomNumberGenerator, Codable, Equatable, Sendable {
    private var state: [UInt64]

    /// A generator whose whole stream is determined by `seed`.
    public init(seed: UInt64) {
        var x = seed
        state = (0..<4).map { _ in SeededGenerator.splitMix64(&x) }
    }

    private static func splitMix64(_ x: inout UInt64) -> UInt64 {
        x &+= 0x9E37_79B9_7F4A_7C15
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = SeededGenerator.rotl(state[1] &* 5, 7) &* 9
        let t = state[1] << 17
        state[2] ^= state[0]
        state[3] ^= state[1]
        state[1] ^= state[2]
        state[0] ^= state[3]
        state[2] ^= t
        state[3] = SeededGenerator.rotl(state[3], 45)
        return result
    }

    /// A uniform Double in [0, 1) with 53 random bits (Python's `random.random()` analogue).
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform Float in [0, 1) with 24 random bits.
    public mutating func uniformFloat() -> Float {
        Float(next() >> 40) * 0x1.0p-24
    }

    /// A uniform integer in `0..<bound` without modulo bias (Lemire's multiply-and-reject).
    public mutating func int(below bound: Int) -> Int {
        precondition(bound > 0, "int(below:) needs a positive bound")
        let b = UInt64(bound)
        var product = next().multipliedFullWidth(by: b)
        if product.low < b {
            let threshold = (0 &- b) % b
            while product.low < threshold {
                product = next().multipliedFullWidth(by: b)
            }
        }
        return Int(product.high)
    }

    /// A uniformly chosen element of a non-empty collection.
    public mutating func choice<C: RandomAccessCollection>(_ elements: C) -> C.Element {
        precondition(!elements.isEmpty, "choice from an empty collection")
        return elements[elements.index(elements.startIndex, offsetBy: int(below: elements.count))]
    }

    /// A standard normal sample (Box–Muller, one value per call).
    public mutating func normal() -> Double {
        let u1 = 1 - uniform() // (0, 1]: log is finite
        let u2 = uniform()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }

    /// Shuffles `array` in place (Fisher–Yates, from the end).
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(i, int(below: i + 1))
        }
    }

    /// A new generator whose stream is independent of this one's continuation; advances this one.
    /// Used to hand sub-tasks (one per thread, one per candidate) their own reproducible stream.
    public mutating func fork() -> SeededGenerator {
        SeededGenerator(seed: next())
    }
}

@inline(__always) private func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Foundation.cos(x) }

/// Weight initialisation schemes (OFA's), drawing from a `SeededGenerator`.
///
/// - Convolutions: Kaiming normal with fan-out, `N(0, sqrt(2 / (kH·kW·outChannels)))` (OFA's
///   "he_fout"; out-channels, not out-channels per group, as OFA does); bias 0.
/// - BatchNorm / LayerNorm: weight 1, bias 0.
/// - Linear: `U(−1/√in, 1/√in)` for the weight (OFA's default) or `N(0, 0.01)`; bias 0.
public enum WeightInit {
    /// How a `Linear` weight is drawn.
    public enum LinearScheme: Sendable {
        /// `U(−1/√in, 1/√in)`.
        case uniform
        /// `N(0, std)`, e.g. 0.01.
        case normal(std: Float)
    }

    /// Kaiming-normal fan-out for a conv weight `[O, I/groups, kH, kW]`.
    public static func kaimingNormalFanOut(_ shape: [Int], generator: inout SeededGenerator) -> Tensor {
        let fanOut = shape[0] * shape[2...].reduce(1, *)
        return normal(shape, std: (2 / Float(Swift.max(fanOut, 1))).squareRoot(), generator: &generator)
    }

    /// Linear weight `[out, in]` with the given scheme.
    public static func linear(_ shape: [Int], scheme: LinearScheme, generator: inout SeededGenerator) -> Tensor {
        switch scheme {
        case .uniform:
            let bound = 1 / Float(Swift.max(shape[1], 1)).squareRoot()
            return uniform(shape, bound: bound, generator: &generator)
        case .normal(let std):
            return normal(shape, std: std, generator: &generator)
        }
    }

    /// `N(0, std)` samples.
    public static func normal(_ shape: [Int], std: Float, generator: inout SeededGenerator) -> Tensor {
        var t = Tensor(zeros: shape)
        t.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count { p[i] = Float(generator.normal()) * std }
        }
        return t
    }

    /// `U(−bound, bound)` samples.
    public static func uniform(_ shape: [Int], bound: Float, generator: inout SeededGenerator) -> Tensor {
        var t = Tensor(zeros: shape)
        t.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count { p[i] = (2 * generator.uniformFloat() - 1) * bound }
        }
        return t
    }
}

/// The interpolation kernels of PIL's `Image.resize` that the original pipelines use.
public enum ResampleFilter: String, CaseIterable, Sendable {
    /// Triangle kernel, support 1 (PIL `BILINEAR`).
    case bilinear
    /// Keys cubic convolution with a = −0.5, support 2 (PIL `BICUBIC`).
    case bicubic

    /// Half-width of the kernel at scale 1, in source pixels.
    var support: Double {
        switch self {
        case .bilinear: return 1
        case .bicubic: return 2
        }
    }

    /// The kernel's weight at distance `x` (in source pixels at scale 1).
    func weight(_ x: Double) -> Double {
        let t = abs(x)
        switch self {
        case .bilinear:
            return t < 1 ? 1 - t : 0
        case .bicubic:
            let a = -0.5
            if t < 1 { return ((a + 2) * t - (a + 3)) * t * t + 1 }
            if t < 2 { return (((t - 5) * t + 8) * t - 4) * a }
            return 0
        }
    }
}

/// The three OFA MobileNetV3 constructions Harmonic-NAS uses (its `_type` argument): they differ
/// only in the per-stage lists below, which the constructor zips, stopping at the shortest list.
///
/// Element 0 of `strides`, `activations` and `squeezeExcitation` belongs to the fixed first block;
/// elastic stage `s` uses element `s + 1` (SPEC-backbone §1.1, pitfall 3).
public enum OFAVariant: String, CaseIterable, Codable, Sendable {
    /// One elastic stage (AV-MNIST image and audio).
    case avmnist
    /// Three elastic stages (Memes image; the original's `_type: 'imdb'`).
    case imdb
    /// Five elastic stages, the standard OFA MobileNetV3 (MM-IMDB image).
    case orig

    /// Base widths: stem, first block, one per elastic stage, then final expand and feature mix.
    public var baseStageWidths: [Int] {
        switch self {
        case .avmnist: return [16, 16, 24, 40, 80]
        case .imdb: return [16, 16, 24, 40, 80, 112, 160]
        case .orig: return [16, 16, 24, 40, 80, 112, 160, 960, 1280]
        }
    }

    public var strides: [Int] {
        switch self {
        case .avmnist: return [1, 2, 2, 2]
        case .imdb, .orig: return [1, 2, 2, 2, 1, 2]
        }
    }

    public var activations: [OFAStage.Activation] { [.relu, .relu, .relu, .hswish, .hswish, .hswish] }

    public var squeezeExcitation: [Bool] { [false, false, true, false, true, true] }
}

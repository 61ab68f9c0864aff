/// One elastic stage of an OFA MobileNetV3 supernet: up to four blocks of the same output width.
///
/// The first block of a stage has the stage's stride and changes the width; the others have
/// stride 1 and an identity shortcut.
public struct OFAStage: Hashable, Codable, Sendable {
    /// The activation inside the stage's blocks.
    public enum Activation: String, Hashable, Codable, Sendable {
        case relu
        case hswish = "h_swish"
    }

    /// Output channels of every block of the stage.
    public var width: Int
    /// Stride of the first block (the others have stride 1).
    public var stride: Int
    /// Whether the blocks have a squeeze-and-excitation module (`use_se:1` in table keys).
    public var useSE: Bool
    public var activation: Activation

    public init(width: Int, stride: Int, useSE: Bool, activation: Activation) {
        self.width = width
        self.stride = stride
        self.useSE = useSE
        self.activation = activation
    }
}

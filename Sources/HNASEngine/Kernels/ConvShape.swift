/// A convolution layer's shape without the batch size: `kernel`×`kernel`, padding `kernel/2`
/// (the networks' convention), `groups` groups, with or without bias.
public struct ConvShape: Hashable, Sendable, CustomStringConvertible {
    public let inChannels, outChannels, height, width, kernel, stride, groups: Int
    public let bias: Bool

    public init(inChannels: Int, outChannels: Int, height: Int, width: Int, kernel: Int, stride: Int, groups: Int = 1, bias: Bool = false) {
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.height = height
        self.width = width
        self.kernel = kernel
        self.stride = stride
        self.groups = groups
        self.bias = bias
    }

    public var padding: Int { kernel / 2 }
    public var outHeight: Int { (height + 2 * padding - kernel) / stride + 1 }
    public var outWidth: Int { (width + 2 * padding - kernel) / stride + 1 }
    public var isDepthwise: Bool { groups > 1 && groups == inChannels && groups == outChannels }
    public var isPointwise: Bool { kernel == 1 && stride == 1 && groups == 1 }

    /// e.g. `dw 144×7×7 k7 s1` or `conv 24→144 14×14 k1 s1`.
    public var description: String {
        isDepthwise
            ? "dw \(inChannels)×\(height)×\(width) k\(kernel) s\(stride)"
            : "conv \(inChannels)→\(outChannels) \(height)×\(width) k\(kernel) s\(stride)" + (groups > 1 ? " g\(groups)" : "")
    }
}

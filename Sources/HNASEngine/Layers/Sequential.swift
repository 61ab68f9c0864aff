/// Layers applied in order; children are named "0", "1", … like PyTorch's `nn.Sequential`.
///
/// A `BatchNorm` directly followed by an `ActivationLayer` runs as one fused op (same result,
/// one pass over memory less); after a `Conv2d` in inference, both run as the convolution's epilogue
/// (`BatchNorm.after`).
public final class Sequential: Layer {
    public let layers: [Layer]
    public var isTraining = true

    public init(_ layers: [Layer]) { self.layers = layers }

    public var children: [(String, Module)] { layers.enumerated().map { (String($0.offset), $0.element as Module) } }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        var y = x
        var i = 0
        while i < layers.count {
            if let conv = layers[i] as? Conv2d, let bn = layer(i + 1) as? BatchNorm {
                let act = layer(i + 2) as? ActivationLayer, input = y
                y = try bn.after({ try conv(input, epilogue: $0) }, channels: conv.outChannels, activation: act?.activation ?? .identity)
                i += act == nil ? 2 : 3
            } else if let bn = layers[i] as? BatchNorm, let act = layer(i + 1) as? ActivationLayer {
                y = try bn.forward(y, activation: act.activation)
                i += 2
            } else {
                y = try layers[i](y)
                i += 1
            }
        }
        return y
    }

    /// The layer at `index`, or nil past the end.
    private func layer(_ index: Int) -> Layer? { index < layers.count ? layers[index] : nil }
}

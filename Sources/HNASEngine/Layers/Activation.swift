/// The activation functions by name, as used in network descriptions (`"relu"`, `"h_swish"`, …).
public enum Activation: String, Codable, CaseIterable, Sendable {
    case identity = "none"
    case relu
    case relu6
    case hardSwish = "h_swish"
    case hardSigmoid = "h_sigmoid"
    case sigmoid
    case tanh
    case mish
    case gelu

    /// Applies the function.
    public func apply(_ x: Tensor) -> Tensor {
        switch self {
        case .identity: return x
        case .relu: return x.relu()
        case .relu6: return x.relu6()
        case .hardSwish: return x.hardSwish()
        case .hardSigmoid: return x.hardSigmoid()
        case .sigmoid: return x.sigmoid()
        case .tanh: return x.tanh()
        case .mish: return x.mish()
        case .gelu: return x.gelu()
        }
    }
}

/// An activation as a layer (no parameters).
public final class ActivationLayer: Layer {
    public let activation: Activation
    public var isTraining = true

    public init(_ activation: Activation) { self.activation = activation }

    public func callAsFunction(_ x: Tensor) throws -> Tensor { activation.apply(x) }
}

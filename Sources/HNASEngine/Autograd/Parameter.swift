/// A trainable tensor: its value, its accumulated gradient and a name.
///
/// Modules hold their weights as parameters; optimisers update them. Reading `value` while
/// recording gives a tensor on the tape, so gradients of anything computed from it flow back
/// into `grad` on `backward()`. Gradients accumulate over backward passes until `zeroGrad()`.
public final class Parameter {
    /// A label for messages (modules report the dotted state-dict name through `namedParameters`).
    public var name: String
    /// Whether gradients flow into this parameter (frozen parameters act as constants).
    public var requiresGrad: Bool = true
    private var data: Tensor
    let leaf: Node

    /// A parameter holding `value` (its tape history, if any, is dropped).
    public init(_ value: Tensor, name: String = "") {
        self.name = name
        self.data = value.detached()
        self.leaf = Node(leaf: name)
    }

    /// The current value; on the tape when recording and `requiresGrad`.
    /// Setting replaces the value (it must be a plain value, e.g. loaded weights).
    public var value: Tensor {
        get {
            guard requiresGrad, Autograd.isRecording else { return data }
            return Tensor(shape: data.shape, storage: data.storage, node: leaf)
        }
        set { data = newValue.detached() }
    }

    /// The shape of the value.
    public var shape: [Int] { data.shape }

    /// The gradient accumulated since the last `zeroGrad()`, or `nil` if none reached it.
    public var grad: Tensor? {
        get { leaf.grad }
        set { leaf.grad = newValue }
    }

    /// Forgets the accumulated gradient.
    public func zeroGrad() { leaf.grad = nil }

    /// Mutates the value in place (copying first only if a live tape still holds the old value).
    public func update<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try data.withUnsafeMutableBufferPointer(body)
    }
}

/// A Float32 tensor: a shape and its scalars in row-major (NCHW) order.
///
/// ## The engine's model in four sentences
/// - **Tensors are values.** A `Tensor` is a shape plus reference-counted contiguous storage;
///   copies share the storage until one is mutated (copy-on-write), so a tensor saved for a
///   backward pass can never be changed behind the tape's back.
/// - **Parameters are references.** A `Parameter` (class) owns a trainable value and accumulates
///   its gradient; reading `parameter.value` while gradients are enabled yields a tensor that
///   remembers it came from the parameter.
/// - **The tape is built by running.** Every differentiable op (`Tensor+*.swift`) whose inputs
///   descend from a parameter records a node with a backward closure; `loss.backward()` replays
///   the recorded nodes in reverse and adds each parameter's gradient into `parameter.grad`.
/// - **No-grad and detach.** `Autograd.withoutGrad { … }` runs code without recording (inference,
///   BN recalibration, optimiser updates); `tensor.detached()` cuts a tensor off the tape.
///
/// Shape errors throw `HNASError.op` naming the op and the shapes. Integer data (class labels,
/// token ids) is passed as `[Int]`; `Int64Tensor` exists only for weight files.
///
/// Where things are: ops in `Tensor+Arithmetic` (broadcasting + − × ÷), `+Math`, `+Activation`,
/// `+Shape` (reshape, permute, slice/block, concat, stack, split, pad), `+Reduction`, `+Softmax`,
/// `+MatMul` (matmul, linear), `+Conv` (conv2d, conv1d), `+Normalization` (batch/layer norm),
/// `+Pooling` (pools, dropout); `Loss`; `ElasticWeight` (OFA weight slicing). Layers, optimisers
/// and schedules live in `Layers/` and `Optim/`; safetensors I/O in `IO/SafeTensors`.
///
/// A training step:
/// ```
/// var rng = SeededGenerator(seed: 1)
/// let net = Sequential([Conv2d(inChannels: 1, outChannels: 8, kernelSize: 3, padding: 1, bias: false, generator: &rng),
///                       BatchNorm(features: 8), ActivationLayer(.relu), GlobalAveragePool(), Flatten(),
///                       Linear(inFeatures: 8, outFeatures: 10, generator: &rng)])
/// let sgd = SGD(parameters: net.parameters, learningRate: 0.1, momentum: 0.9, weightDecay: 1e-4)
/// net.zeroGrad()
/// let loss = try Loss.crossEntropy(logits: try net(images), labels: labels)
/// try loss.backward()
/// try sgd.step()
/// try net.save(to: url)   // safetensors, PyTorch-style names ("0.weight", "1.running_mean", …)
/// ```
public struct Tensor: Equatable, @unchecked Sendable {
    /// Sizes of each dimension, outermost first.
    public private(set) var shape: [Int]
    /// The elements, shared copy-on-write between tensor values.
    var storage: TensorStorage
    /// The tape node that produced this tensor, or `nil` when it is a constant for autodiff.
    var node: Node?

    /// Wraps `scalars` with `shape`.
    /// - Throws: `HNASError` when the element count does not match the shape.
    public init(shape: [Int], scalars: [Float]) throws {
        let count = shape.reduce(1, *)
        guard shape.allSatisfy({ $0 >= 0 }), count == scalars.count else {
            throw HNASError.op("Tensor.init", why: "shape \(shape) holds \(count) elements but \(scalars.count) were given")
        }
        self.shape = shape
        self.storage = scalars.withUnsafeBufferPointer { TensorStorage(copying: $0) }
    }

    /// A tensor of zeros.
    public init(zeros shape: [Int]) {
        self.init(repeating: 0, shape: shape)
    }

    /// A tensor with every element equal to `value`.
    public init(repeating value: Float, shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        self.shape = shape
        self.storage = TensorStorage(repeating: value, count: shape.reduce(1, *))
    }

    /// A rank-0 tensor holding `value`.
    public init(scalar value: Float) {
        self.init(repeating: value, shape: [])
    }

    /// A tensor whose elements are written by `body` into an uninitialised buffer of the shape's size.
    /// `body` must write every element. Public so layers outside the engine fill tensors without a zeroing pass.
    public init(shape: [Int], unsafeUninitialized body: (UnsafeMutableBufferPointer<Float>) throws -> Void) rethrows {
        self.shape = shape
        self.storage = TensorStorage(uninitializedCount: shape.reduce(1, *))
        try body(storage.buffer)
    }

    /// A tensor sharing `storage` (whose count must equal the shape's size).
    init(shape: [Int], storage: TensorStorage, node: Node? = nil) {
        precondition(shape.reduce(1, *) == storage.count, "shape \(shape) does not fit \(storage.count) elements")
        self.shape = shape
        self.storage = storage
        self.node = node
    }

    /// The elements in row-major order (a copy).
    public var scalars: [Float] { Array(storage.buffer) }

    /// The number of elements.
    public var count: Int { storage.count }

    /// The number of dimensions.
    public var rank: Int { shape.count }

    /// The only element of a one-element tensor (e.g. a loss).
    public var item: Float {
        precondition(count == 1, "item of a tensor with shape \(shape)")
        return storage.pointer[0]
    }

    /// The element at a multi-dimensional index (for tests and small tensors).
    public subscript(_ index: Int...) -> Float {
        precondition(index.count == shape.count, "index \(index) for shape \(shape)")
        var flat = 0
        for (i, n) in zip(index, shape) {
            precondition(i >= 0 && i < n, "index \(index) out of shape \(shape)")
            flat = flat * n + i
        }
        return storage.pointer[flat]
    }

    /// Read access to the elements without copying.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(storage.buffer))
    }

    /// `body` with the elements of `tensor` in place, or with nil for no tensor (an optional bias, scale or
    /// shortcut handed to a kernel).
    static func withElements<R>(of tensor: Tensor?, _ body: (UnsafePointer<Float>?) throws -> R) rethrows -> R {
        guard let tensor else { return try body(nil) }
        return try tensor.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    /// Write access to the elements; copies the storage first if another tensor shares it.
    /// The tensor keeps its tape node: mutate only tensors that are not recorded (parameters'
    /// values are updated through `Parameter`, which holds them untracked).
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) {
            storage = TensorStorage(copying: UnsafeBufferPointer(storage.buffer))
        }
        return try body(storage.buffer)
    }

    /// Same shape and elements (the tape is not compared).
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        guard lhs.shape == rhs.shape else { return false }
        if lhs.storage === rhs.storage { return true }
        return lhs.storage.buffer.elementsEqual(rhs.storage.buffer)
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let shown = count <= 16 ? "\(scalars)" : "\(Array(storage.buffer.prefix(8))) … (\(count) elements)"
        return "Tensor(shape: \(shape), \(shown))"
    }
}

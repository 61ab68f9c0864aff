/// A network part with named parameters, buffers and sub-modules, in PyTorch's naming scheme.
///
/// A conforming class lists what it owns directly (`localParameters`, `localBuffers`) and its
/// children (`children`, in registration order); the extension derives dotted state-dict names
/// (`blocks.1.conv.weight`), parameter lists for optimisers, train/eval switching and gradient
/// reset. Modules are classes: a parameter is shared by reference wherever the module is used.
public protocol Module: AnyObject {
    /// Sub-modules with their attribute names, in registration order.
    var children: [(String, Module)] { get }
    /// Parameters owned directly, with local names (e.g. `weight`, `bias`).
    var localParameters: [(String, Parameter)] { get }
    /// Non-trainable state owned directly (e.g. BN `running_mean`).
    var localBuffers: [(String, Buffer)] { get }
    /// Training mode (batch statistics, dropout on) or evaluation mode.
    var isTraining: Bool { get set }
}

/// A module with one input and one output tensor.
public protocol Layer: Module {
    /// The forward pass.
    func callAsFunction(_ x: Tensor) throws -> Tensor
}

extension Module {
    public var children: [(String, Module)] { [] }
    public var localParameters: [(String, Parameter)] { [] }
    public var localBuffers: [(String, Buffer)] { [] }

    /// Every parameter in this module and below, with its dotted name, in registration order.
    public func namedParameters(prefix: String = "") -> [(String, Parameter)] {
        localParameters.map { (prefix + $0.0, $0.1) }
            + children.flatMap { $0.1.namedParameters(prefix: prefix + $0.0 + ".") }
    }

    /// Every buffer in this module and below, with its dotted name.
    public func namedBuffers(prefix: String = "") -> [(String, Buffer)] {
        localBuffers.map { (prefix + $0.0, $0.1) }
            + children.flatMap { $0.1.namedBuffers(prefix: prefix + $0.0 + ".") }
    }

    /// Every module in this tree (this one first, then depth-first), with dotted names ("" for this one).
    public func namedModules(prefix: String = "") -> [(String, Module)] {
        [(prefix, self as Module)] + children.flatMap { name, child in
            child.namedModules(prefix: prefix.isEmpty ? name : prefix + "." + name)
        }
    }

    /// The parameters (for an optimiser).
    public var parameters: [Parameter] { namedParameters().map(\.1) }

    /// Sets training mode on this module and every descendant.
    public func train(_ on: Bool = true) {
        for (_, module) in namedModules() { module.isTraining = on }
    }

    /// Sets evaluation mode on this module and every descendant.
    public func eval() { train(false) }

    /// Forgets every parameter's accumulated gradient.
    public func zeroGrad() {
        for p in parameters { p.zeroGrad() }
    }
}

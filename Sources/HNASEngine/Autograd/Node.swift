/// One recorded step of the tape: which tape nodes fed an op and how to turn the gradient of
/// its output into gradients of those inputs.
///
/// A leaf node belongs to a `Parameter` and collects its gradient in `grad`; an op node holds
/// the backward closure until the backward pass has used it (the closure keeps the tensors
/// the op saved, so releasing it frees them).
final class Node {
    /// The op that recorded the node (for error messages and debugging).
    let op: String
    /// The nodes of the op's inputs, `nil` where an input is a constant.
    let inputs: [Node?]
    /// Output gradient → one gradient per input (aligned with `inputs`; `nil` for constants).
    var backward: ((Tensor) -> [Tensor?])?
    /// The accumulated gradient of a leaf (parameter) node.
    var grad: Tensor?

    /// A leaf node for a parameter.
    init(leaf name: String) {
        op = name
        inputs = []
        backward = nil
    }

    /// An op node.
    init(op: String, inputs: [Node?], backward: @escaping (Tensor) -> [Tensor?]) {
        self.op = op
        self.inputs = inputs
        self.backward = backward
    }

    var isLeaf: Bool { inputs.isEmpty }
}

extension Tensor {
    /// Whether this tensor is on the tape (descends from a parameter while recording).
    public var requiresGrad: Bool { node != nil }

    /// The same values, cut off from the tape (gradients do not flow through it).
    public func detached() -> Tensor {
        Tensor(shape: shape, storage: storage)
    }

    /// Whether `record` would record an op over these inputs: recording is on and one of them is on
    /// the tape. Ops use it to skip saving what only their backward needs.
    static func isRecording(_ inputs: [Tensor?]) -> Bool {
        Autograd.isRecording && inputs.contains { $0?.node != nil }
    }

    /// Returns `value` recorded as the result of `op` applied to `inputs`.
    ///
    /// When recording is off or no input is on the tape, `value` is returned untracked and
    /// `backward` is never kept. Otherwise `backward` receives the output gradient and a flag per
    /// input saying whether that input needs a gradient, and returns one gradient per input
    /// (`nil` allowed where not needed), each with that input's shape.
    static func record(_ op: String, _ value: Tensor, inputs: [Tensor],
                       backward: @escaping (_ grad: Tensor, _ needs: [Bool]) -> [Tensor?]) -> Tensor {
        guard Autograd.isRecording else { return value }
        let nodes = inputs.map(\.node)
        guard nodes.contains(where: { $0 != nil }) else { return value }
        let needs = nodes.map { $0 != nil }
        var result = value
        result.node = Node(op: op, inputs: nodes) { grad in backward(grad, needs) }
        return result
    }
}

import Foundation

/// Recording switches and the backward pass of the tape.
///
/// Recording is a per-thread setting: `withoutGrad` turns it off for the current thread only,
/// so inference on one thread does not disturb training on another.
public enum Autograd {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Whether differentiable ops currently record tape nodes (on this thread).
    public static var isRecording: Bool {
        pthread_getspecific(key) == nil
    }

    /// Runs `body` without recording: its results are constants for autodiff.
    public static func withoutGrad<R>(_ body: () throws -> R) rethrows -> R {
        let previous = pthread_getspecific(key)
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: 1))
        defer { pthread_setspecific(key, previous) }
        return try body()
    }

    /// Propagates `seed` (the gradient of `root`) back through the tape to every leaf.
    static func backward(from root: Node, seed: Tensor, retainGraph: Bool) {
        let order = topologicalOrder(root)
        var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(root): seed]
        withoutGrad {
            for node in order.reversed() {
                guard let grad = grads.removeValue(forKey: ObjectIdentifier(node)) else { continue }
                if node.isLeaf {
                    Tensor.accumulate(into: &node.grad, grad)
                    continue
                }
                guard let backward = node.backward else {
                    preconditionFailure("backward through '\(node.op)' twice: its tape was released (use retainGraph)")
                }
                let inputGrads = backward(grad)
                if !retainGraph { node.backward = nil }
                for (input, inputGrad) in zip(node.inputs, inputGrads) {
                    guard let input, let inputGrad else { continue }
                    Tensor.accumulate(into: &grads[ObjectIdentifier(input)], inputGrad)
                }
            }
        }
    }

    /// Nodes reachable from `root`, every node after all of its inputs.
    private static func topologicalOrder(_ root: Node) -> [Node] {
        var order: [Node] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Node, Int)] = [(root, 0)]
        visited.insert(ObjectIdentifier(root))
        while let (node, next) = stack.popLast() {
            if next < node.inputs.count {
                stack.append((node, next + 1))
                if let input = node.inputs[next], visited.insert(ObjectIdentifier(input)).inserted {
                    stack.append((input, 0))
                }
            } else {
                order.append(node)
            }
        }
        return order
    }
}

extension Tensor {
    /// Back-propagates from this one-element tensor (a loss): adds d(self)/d(p) into `p.grad` for
    /// every parameter `p` it depends on. The tape is released afterwards unless `retainGraph`.
    /// - Throws: `HNASError` when the tensor has more than one element or is not on the tape.
    public func backward(retainGraph: Bool = false) throws {
        guard count == 1 else {
            throw HNASError.op("backward", why: "needs a one-element tensor (a loss), got shape \(shape)")
        }
        guard let node else {
            throw HNASError.op("backward", why: "the tensor is not on the tape (no parameter reached it while recording)")
        }
        Autograd.backward(from: node, seed: Tensor(repeating: 1, shape: shape), retainGraph: retainGraph)
    }

    /// `total += b` for gradients of the same shape (`total = b` when there is none yet); adds in
    /// place unless another tensor shares `total`'s storage.
    static func accumulate(into total: inout Tensor?, _ b: Tensor) {
        guard total != nil else {
            total = b
            return
        }
        precondition(total!.shape == b.shape, "gradient shapes \(total!.shape) and \(b.shape) differ")
        total!.node = nil
        total!.withUnsafeMutableBufferPointer { s in
            b.withUnsafeBufferPointer { pb in
                Tensor.parallelChunks(s.count) { r in
                    Vector.add(s.baseAddress! + r.lowerBound, pb.baseAddress! + r.lowerBound, count: r.count)
                }
            }
        }
    }
}

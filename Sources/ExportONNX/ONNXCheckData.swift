import Foundation
import HNASKit

/// The reference data `Scripts/check_onnx.py` compares an exported file with: a batch of inputs
/// (`input_<name>.npy`) and what hnas's evaluation-mode forward pass computed on them
/// (`expected_<name>.npy`, one per graph output).
public struct ONNXCheckData {
    /// Graph inputs by name.
    public var inputs: [String: Tensor]
    /// Expected graph outputs by name.
    public var expected: [String: Tensor]

    public init(inputs: [String: Tensor], expected: [String: Tensor]) {
        self.inputs = inputs
        self.expected = expected
    }

    /// `batch` samples of standard-normal values (a seeded generator) for every input of `graph`.
    public static func randomInputs(for graph: InferenceGraph, batch: Int, seed: UInt64) throws -> [String: Tensor] {
        guard batch >= 1 else { throw HNASError.argument("--check-batch", why: "must be positive, got \(batch)") }
        var g = SeededGenerator(seed: seed)
        var inputs: [String: Tensor] = [:]
        for input in graph.inputs {
            let shape = input.shape.map { $0.size ?? batch }
            inputs[input.name] = try Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in Float(g.normal()) })
        }
        return inputs
    }

    /// Writes every array into `folder` (created when missing), each file atomically.
    /// - Throws: `HNASError` naming the folder or file that cannot be written.
    public func write(to folder: URL) throws {
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            throw HNASError.file(folder.path, "cannot create folder", why: error.localizedDescription)
        }
        for (prefix, arrays) in [("input", inputs), ("expected", expected)] {
            for (name, t) in arrays.sorted(by: { $0.key < $1.key }) {
                try NPYFile(shape: t.shape, elements: .float32(t.scalars)).write(to: folder.appendingPathComponent("\(prefix)_\(name).npy"))
            }
        }
    }
}

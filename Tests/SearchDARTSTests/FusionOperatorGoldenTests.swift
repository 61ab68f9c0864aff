import HNASKit
@testable import SearchDARTS
import XCTest

/// Every node operator (the six searched ones and SE2) against the PyTorch restatement of
/// SPEC-fusion §3 (`Scripts/make_fusion_goldens.py`, `fusion_operators.safetensors`): eval-mode
/// output on random running statistics; train-mode output with batch statistics, the running
/// statistics it leaves, and the gradients of `Σ out ⊙ cotangent` for both inputs and every weight.
/// Inputs are two different tensors (the derived network's case); dropout is off on both sides
/// (the masks come from different generators). Tolerances: `Golden`.
final class FusionOperatorGoldenTests: XCTestCase {
    func testEveryOperatorMatchesPyTorch() throws {
        let golden = try Golden("fusion_operators.safetensors")
        for name in FusionOperators.known {
            var generator = SeededGenerator(seed: 1)
            let op = try FusionOperators.make(name, channels: GoldenShape.channels, length: GoldenShape.length,
                                              dropout: 0.1, generator: &generator)
            try golden.load(op, prefix: "\(name).state.")
            disableDropout(op)
            let x = Parameter(try golden.tensor("\(name).x")), y = Parameter(try golden.tensor("\(name).y"))

            op.eval()
            try golden.assertClose(try Autograd.withoutGrad { try op(x.value, y.value) }, "\(name).eval")

            op.train()
            disableDropout(op)
            let out = try op(x.value, y.value)
            try golden.assertClose(out, "\(name).out")
            try (out * golden.tensor("\(name).cotangent")).sum().backward()
            let named = op.namedParameters()
            let gradientKeys = ["\(name).grad.x", "\(name).grad.y"] + named.map { "\(name).grad.\($0.0)" }
            let scale = try golden.gradientScale(gradientKeys)
            try golden.assertClose(x.grad, "\(name).grad.x", gradientScale: scale)
            try golden.assertClose(y.grad, "\(name).grad.y", gradientScale: scale)
            for (parameter, p) in named {
                try golden.assertClose(p.grad, "\(name).grad.\(parameter)", gradientScale: scale)
            }
            for (buffer, b) in op.namedBuffers() where buffer.contains("running") {
                try golden.assertClose(b.value, "\(name).after.\(buffer)")
            }
        }
    }
}

import HNASTestSupport
import XCTest
@testable import HNASEngine

/// `Tensor.pointwiseConv(_:weight:bias:epilogue:)`: an evaluation-mode batch norm, its activation and a GLU
/// applied on the product's way out give the bits of the separate ops.
final class ChannelEpilogueTests: XCTestCase {
    /// A batch norm in evaluation mode with statistics and affine parameters away from the identity.
    private func evaluationBatchNorm(_ channels: Int, seed: UInt64) -> BatchNorm {
        let bn = BatchNorm(features: channels + 3)
        bn.weight.value = GradientCheck.random([channels + 3], seed: seed, range: 0.5...2)
        bn.bias.value = GradientCheck.random([channels + 3], seed: seed + 1)
        bn.runningMean.value = GradientCheck.random([channels + 3], seed: seed + 2)
        bn.runningVar.value = GradientCheck.random([channels + 3], seed: seed + 3, range: 0.2...3)
        bn.eval()
        return bn
    }

    /// Odd channel counts, planes of 5 and 13 (not multiples of the vector width), the same input twice, and
    /// a product small enough to run whole as well as one cut into parts (each part's epilogue runs after it).
    func testEpilogueGivesTheBitsOfTheSeparateOps() throws {
        XCTAssertEqual(Gemm.columnGroupParts(m: 7, n: 3 * 5, k: 9), 0)
        XCTAssertGreaterThan(Gemm.columnGroupParts(m: 7, n: 800 * 13, k: 9), 1)
        for (batch, plane) in [(3, 5), (800, 13)] {
            let x = GradientCheck.random([batch, 5, plane], seed: 1, range: -3...3), y = GradientCheck.random([batch, 4, plane], seed: 2)
            for (inputs, inChannels) in [([x, y], 9), ([x, x], 10)] {
                for (out, activation, gated) in [(7, Activation.identity, false), (7, .relu, false), (9, .mish, false),
                                                 (11, .hardSwish, false), (14, .identity, true)] {
                    let w = GradientCheck.random([out, inChannels, 1], seed: 3), b = GradientCheck.random([out], seed: 4)
                    let bn = evaluationBatchNorm(out, seed: 5)
                    let (fused, separate) = try Autograd.withoutGrad {
                        let epilogue = try XCTUnwrap(try bn.inferenceEpilogue(channels: out, activation: activation, gated: gated))
                        let fused = try Tensor.pointwiseConv(inputs, weight: w, bias: b, epilogue: epilogue)
                        let z = try bn.forward(Tensor.pointwiseConv(inputs, weight: w, bias: b), activation: activation)
                        return (fused, gated ? try z.glu(axis: 1) : z)
                    }
                    XCTAssertEqual(fused.shape, [batch, gated ? out / 2 : out, plane])
                    XCTAssertEqual(fused.scalars.map(\.bitPattern), separate.scalars.map(\.bitPattern), "\(activation) gated \(gated) plane \(plane)")
                }
            }
        }
    }

    /// One and two threads agree bitwise (the parts depend on the shape only).
    func testThreadCountsGiveIdenticalResults() throws {
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        let x = GradientCheck.random([64, 33, 16], seed: 10), w = GradientCheck.random([66, 33, 1], seed: 11)
        let bn = evaluationBatchNorm(66, seed: 12)
        let results = try [1, 2].map { threads -> [Float] in
            Parallel.threads = threads
            return try Autograd.withoutGrad {
                try Tensor.pointwiseConv([x], weight: w, epilogue: XCTUnwrap(bn.inferenceEpilogue(channels: 66, gated: true))).scalars
            }
        }
        XCTAssertEqual(results[0].map(\.bitPattern), results[1].map(\.bitPattern))
    }

    /// No epilogue where it cannot stand in for the ops (training mode, recording, an activation batch norm
    /// does not fuse); errors for what cannot be built or run.
    func testWhereThereIsNoEpilogueAndErrors() throws {
        let bn = evaluationBatchNorm(4, seed: 20)
        XCTAssertNil(try bn.inferenceEpilogue(channels: 4))  // recording (tests run with recording on)
        try Autograd.withoutGrad {
            XCTAssertNotNil(try bn.inferenceEpilogue(channels: 4))
            XCTAssertNil(try bn.inferenceEpilogue(channels: 4, activation: .gelu))
            XCTAssertThrowsError(try bn.inferenceEpilogue(channels: 99))
            XCTAssertThrowsError(try bn.inferenceEpilogue(channels: 3, gated: true))
            XCTAssertThrowsError(try bn.inferenceEpilogue(channels: 4, activation: .relu, gated: true))
            bn.train()
            XCTAssertNil(try bn.inferenceEpilogue(channels: 4))
            bn.eval()
        }
        let epilogue = try XCTUnwrap(try Autograd.withoutGrad { try bn.inferenceEpilogue(channels: 4) })
        let x = GradientCheck.random([2, 3, 5], seed: 21)
        XCTAssertThrowsError(try Tensor.pointwiseConv([x], weight: GradientCheck.random([4, 3, 1], seed: 22), epilogue: epilogue))
        try Autograd.withoutGrad {
            XCTAssertThrowsError(try Tensor.pointwiseConv([x], weight: GradientCheck.random([5, 3, 1], seed: 23), epilogue: epilogue))
            XCTAssertNoThrow(try Tensor.pointwiseConv([x], weight: GradientCheck.random([4, 3, 1], seed: 24), epilogue: epilogue))
        }
    }
}

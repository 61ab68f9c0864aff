import HNASTestSupport
import XCTest
@testable import HNASEngine

/// `Tensor.pointwiseConv(_:weight:bias:epilogue:)` and `Tensor.conv2d(…, epilogue:)`: an evaluation-mode
/// batch norm, its activation and a GLU applied on the product's way out give the bits of the separate ops.
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

    /// `Tensor.conv2d(…, epilogue:)` on every forward path — depthwise (stride 1 and 2, planes no multiple of
    /// the vector width), 1×1 convolutions of large planes at batch 1 (their products cut over the workers) and
    /// at batch 9 (one task per sample), a grouped k×k one through im2col, the batch-wide 1×1 GEMM of small
    /// planes and of 1×1 images, with and without a bias — gives the bits of the convolution followed by the
    /// batch norm, for one and two threads.
    func testConvolutionEpilogueGivesTheBitsOfTheSeparateOps() throws {
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        // (input shape, output channels, kernel, stride, groups)
        let cases: [([Int], Int, Int, Int, Int)] = [
            ([2, 5, 13, 11], 5, 7, 1, 5), ([1, 3, 17, 19], 3, 5, 2, 3),
            ([1, 24, 40, 41], 40, 1, 1, 1), ([9, 6, 20, 13], 7, 1, 1, 1),
            ([2, 4, 9, 10], 6, 3, 2, 2), ([3, 7, 5, 5], 9, 1, 1, 1), ([4, 12, 1, 1], 10, 1, 1, 1),
            ([1, 16, 48, 40], 40, 1, 1, 1), ([1, 128, 6, 6], 256, 1, 1, 1),
            // The kernel's own product (planes of 64 positions and more, 24 input channels and more): a tail of
            // 3 columns with a bias, and 300 input channels in two blocks.
            ([2, 30, 9, 11], 13, 1, 1, 1), ([1, 300, 8, 9], 7, 1, 1, 1),
        ]
        // The batch-1 1×1 products are cut over the workers, by columns (the second one with a bias) and by
        // rows (more output channels than positions); the epilogue runs on each part's block.
        XCTAssertGreaterThan(Gemm.parts(m: 40, n: 40 * 41, k: 24), 1)
        XCTAssertGreaterThan(Gemm.parts(m: 40, n: 48 * 40, k: 16), 1)
        XCTAssertGreaterThan(Gemm.parts(m: 256, n: 36, k: 128), 1)
        for (index, (shape, out, kernel, stride, groups)) in cases.enumerated() {
            let x = GradientCheck.random(shape, seed: UInt64(30 + index), range: -3...3)
            let w = GradientCheck.random([out, shape[1] / groups, kernel, kernel], seed: UInt64(40 + index))
            let bias = index % 2 == 1 ? GradientCheck.random([out], seed: UInt64(70 + index)) : nil
            let bn = evaluationBatchNorm(out, seed: UInt64(50 + index))
            for activation in [Activation.identity, .relu, .relu6, .hardSwish, .hardSigmoid] {
                for threads in [1, 2] {
                    Parallel.threads = threads
                    let (fused, separate) = try Autograd.withoutGrad {
                        let epilogue = try XCTUnwrap(try bn.inferenceEpilogue(channels: out, activation: activation))
                        let conv = { (e: ChannelEpilogue?) in
                            try Tensor.conv2d(x, weight: w, bias: bias, stride: stride, padding: kernel / 2, groups: groups, epilogue: e)
                        }
                        return (try conv(epilogue), try bn.forward(try conv(nil), activation: activation))
                    }
                    XCTAssertEqual(fused.shape, separate.shape)
                    XCTAssertEqual(fused.scalars.map(\.bitPattern), separate.scalars.map(\.bitPattern),
                                   "\(shape) → \(out) k\(kernel) s\(stride) g\(groups), \(activation), \(threads) thread(s)")
                }
            }
        }
    }

    /// In evaluation mode without gradients, a `Sequential` runs Conv2d + BatchNorm (+ activation) as one
    /// convolution with an epilogue, with the bits of the layers run one by one; errors for an epilogue
    /// conv2d cannot take.
    func testSequentialConvBatchNormAndConvolutionEpilogueErrors() throws {
        var generator = SeededGenerator(seed: 60)
        let conv = Conv2d(inChannels: 3, outChannels: 4, kernelSize: 3, padding: 1, bias: false, generator: &generator)
        let bn = evaluationBatchNorm(4, seed: 61)
        let x = GradientCheck.random([2, 3, 9, 9], seed: 62)
        for layers in [[conv, bn, ActivationLayer(.hardSwish)] as [Layer], [conv, bn]] {
            let sequential = Sequential(layers)
            sequential.eval()
            try Autograd.withoutGrad {
                let activation = (layers.last as? ActivationLayer)?.activation ?? .identity
                let separate = try bn.forward(try conv(x), activation: activation)
                XCTAssertEqual(try sequential(x).scalars.map(\.bitPattern), separate.scalars.map(\.bitPattern))
            }
        }
        let w = GradientCheck.random([4, 3, 3, 3], seed: 63)
        try Autograd.withoutGrad {
            let epilogue = try XCTUnwrap(try bn.inferenceEpilogue(channels: 4))
            XCTAssertThrowsError(try Tensor.conv2d(x, weight: GradientCheck.random([5, 3, 3, 3], seed: 64), epilogue: epilogue))
            let gated = try XCTUnwrap(try bn.inferenceEpilogue(channels: 4, gated: true))
            XCTAssertThrowsError(try Tensor.conv2d(x, weight: w, epilogue: gated))
        }
        let epilogue = try XCTUnwrap(try Autograd.withoutGrad { try bn.inferenceEpilogue(channels: 4) })
        XCTAssertThrowsError(try Tensor.conv2d(x, weight: Parameter(w, name: "w").value, epilogue: epilogue)) { error in
            XCTAssertTrue("\(error)".contains("not differentiable"), "\(error)")
        }
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

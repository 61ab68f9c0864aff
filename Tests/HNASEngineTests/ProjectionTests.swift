import HNASTestSupport
import XCTest
@testable import HNASEngine

/// `Tensor.projection` (`Projection`): an inverted residual's squeeze-and-excitation scaling, 1×1 projection
/// with its batch norm and shortcut in one inference pass give the bits of the separate ops, on both
/// instruction-set paths; shapes the pass does not take give nil, misuse an error.
final class ProjectionTests: XCTestCase {
    /// (input shape, output channels): a plane of 99 positions (a tail of 3 columns) and 13 output channels
    /// (a partial row tile); a batch of 2 on 64 positions; 300 input channels (two depth blocks); a plane
    /// large enough that the product is cut over the workers.
    static let cases: [([Int], Int)] = [([1, 30, 9, 11], 13), ([2, 24, 8, 8], 24), ([1, 300, 8, 9], 40), ([1, 48, 28, 28], 96)]

    func testGivesTheBitsOfTheSeparateOpsOnBothPaths() throws {
        XCTAssertGreaterThan(Gemm.parts(m: 96, n: 28 * 28, k: 48), 1)
        for (index, (shape, out)) in Self.cases.enumerated() {
            let seed = UInt64(600 + 10 * index), (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
            let x = GradientCheck.random(shape, seed: seed, range: -3...3)
            let weight = GradientCheck.random([out, c, 1, 1], seed: seed + 1)
            let scale = GradientCheck.random([n, c, 1, 1], seed: seed + 2, range: 0...1)
            let shortcut = GradientCheck.random([n, out, h, w], seed: seed + 3, range: -3...3)
            let bn = ExpandDepthwiseTests.evaluationBatchNorm(out, seed: seed + 4)
            for (withScale, withShortcut, activation) in [(true, true, Activation.identity), (true, false, .hardSwish), (false, true, .relu),
                                                          (false, false, .identity)] {
                try FusedPassCheck.assertSameBits("\(shape) → \(out), scale \(withScale), shortcut \(withShortcut), \(activation)") {
                    let epilogue = try XCTUnwrap(try bn.inferenceEpilogue(channels: out, activation: activation))
                    let fused = try Tensor.projection(x, weight: weight, channelScale: withScale ? scale : nil, epilogue: epilogue,
                                                      residual: withShortcut ? shortcut : nil)
                    let scaled = withScale ? try x * scale : x
                    let projected = try bn.forward(try Tensor.conv2d(scaled, weight: weight), activation: activation)
                    return (fused, withShortcut ? try projected + shortcut : projected)
                }
            }
        }
    }

    /// Planes below the kernel's 64 positions, fewer than 24 input channels and a Mish epilogue: nil, so that
    /// the caller runs the separate ops; `projectionTakes` says so from the shapes.
    func testWhatThePassDoesNotTakeGivesNil() throws {
        try Autograd.withoutGrad {
            for (shape, out) in [([1, 32, 7, 7], 16), ([1, 16, 20, 20], 24)] {
                let x = GradientCheck.random(shape, seed: 1), weight = GradientCheck.random([out, shape[1], 1, 1], seed: 2)
                XCTAssertNil(try Tensor.projection(x, weight: weight, channelScale: nil, epilogue: nil, residual: nil), "\(shape)")
                XCTAssertFalse(Tensor.projectionTakes(shape, outChannels: out), "\(shape)")
            }
            XCTAssertTrue(Tensor.projectionTakes([1, 32, 8, 8], outChannels: 16))
            let mish = try XCTUnwrap(ExpandDepthwiseTests.evaluationBatchNorm(16, seed: 3).inferenceEpilogue(channels: 16, activation: .mish))
            XCTAssertNil(try Tensor.projection(GradientCheck.random([1, 32, 8, 8], seed: 4), weight: GradientCheck.random([16, 32, 1, 1], seed: 5),
                                               channelScale: nil, epilogue: mish, residual: nil))
        }
    }

    /// Recording gradients, a weight that is not 1×1, a scale or shortcut of the wrong shape and an epilogue of
    /// the wrong width are errors naming the op.
    func testMisuseIsAnError() throws {
        let x = GradientCheck.random([1, 24, 10, 10], seed: 1), weight = GradientCheck.random([30, 24, 1, 1], seed: 2)
        func run(weight: Tensor = weight, scale: Tensor? = nil, shortcut: Tensor? = nil, epilogue: ChannelEpilogue? = nil) throws -> Tensor? {
            try Tensor.projection(x, weight: weight, channelScale: scale, epilogue: epilogue, residual: shortcut)
        }
        XCTAssertThrowsError(try run()) { XCTAssertTrue("\($0)".contains("not differentiable"), "\($0)") }
        try Autograd.withoutGrad {
            XCTAssertNotNil(try run())
            XCTAssertThrowsError(try run(weight: GradientCheck.random([30, 24, 3, 3], seed: 3))) { XCTAssertTrue("\($0)".contains("projection"), "\($0)") }
            XCTAssertThrowsError(try run(scale: GradientCheck.random([1, 23, 1, 1], seed: 4))) { XCTAssertTrue("\($0)".contains("channel scale"), "\($0)") }
            XCTAssertThrowsError(try run(shortcut: GradientCheck.random([1, 30, 10, 9], seed: 5))) { XCTAssertTrue("\($0)".contains("residual"), "\($0)") }
            let narrow = try XCTUnwrap(ExpandDepthwiseTests.evaluationBatchNorm(29, seed: 6).inferenceEpilogue(channels: 29))
            XCTAssertThrowsError(try run(epilogue: narrow)) { XCTAssertTrue("\($0)".contains("29 channels"), "\($0)") }
        }
    }
}

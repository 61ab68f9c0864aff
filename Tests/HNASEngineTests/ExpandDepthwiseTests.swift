import HNASTestSupport
import XCTest
@testable import HNASEngine

/// `Tensor.expandDepthwise` (`ExpandDepthwise`): an inverted residual's expansion and depthwise convolution
/// as one inference pass give the bits of the two convolutions run one after the other, in `MBConvBlock`
/// too; shapes the pass does not take give nil, misuse an error.
final class ExpandDepthwiseTests: XCTestCase {
    override func tearDown() {
        Parallel.threads = ProcessInfo.processInfo.activeProcessorCount
        super.tearDown()
    }

    /// A batch norm in evaluation mode with statistics and affine parameters away from the identity.
    static func evaluationBatchNorm(_ channels: Int, seed: UInt64) -> BatchNorm {
        let bn = BatchNorm(features: channels)
        bn.weight.value = GradientCheck.random([channels], seed: seed, range: 0.5...2)
        bn.bias.value = GradientCheck.random([channels], seed: seed + 1)
        bn.runningMean.value = GradientCheck.random([channels], seed: seed + 2)
        bn.runningVar.value = GradientCheck.random([channels], seed: seed + 3, range: 0.2...3)
        bn.eval()
        return bn
    }

    /// (input shape, expanded channels, kernel, stride): stride 1 and 2, kernels 3 to 7, batch 1 to 3, planes
    /// no multiple of the vector width, expanded channels in groups of 6 with a partial last group (40, 62)
    /// and in larger groups (96 on 64 positions), outputs wider than the lanes kernels' 16 columns.
    static let cases: [([Int], Int, Int, Int)] = [
        ([1, 24, 20, 19], 40, 7, 2), ([2, 32, 18, 20], 48, 5, 1), ([1, 25, 34, 33], 62, 3, 2),
        ([3, 24, 9, 9], 42, 3, 1), ([1, 40, 8, 17], 96, 7, 1),
    ]

    /// Every case with the activations the product applies in registers, Mish (applied after each block of
    /// the product) and no epilogue after the expansion, at one and two threads.
    func testGivesTheBitsOfTheTwoConvolutions() throws {
        for (index, (shape, mid, kernel, stride)) in Self.cases.enumerated() {
            let seed = UInt64(100 * index)
            let x = GradientCheck.random(shape, seed: seed, range: -3...3)
            let w1 = GradientCheck.random([mid, shape[1], 1, 1], seed: seed + 1), w2 = GradientCheck.random([mid, 1, kernel, kernel], seed: seed + 2)
            let bn1 = Self.evaluationBatchNorm(mid, seed: seed + 3), bn2 = Self.evaluationBatchNorm(mid, seed: seed + 7)
            for (activation, expandNorm) in [(Activation.relu, true), (.hardSwish, true), (.mish, true), (.relu6, false)] {
                for threads in [1, 2] {
                    Parallel.threads = threads
                    let (fused, separate) = try Autograd.withoutGrad {
                        let e1 = expandNorm ? try XCTUnwrap(bn1.inferenceEpilogue(channels: mid, activation: activation)) : nil
                        let e2 = try XCTUnwrap(bn2.inferenceEpilogue(channels: mid, activation: activation))
                        let fused = try Tensor.expandDepthwise(x, expandWeight: w1, expandEpilogue: e1, depthwiseWeight: w2, stride: stride,
                                                               padding: kernel / 2, depthwiseEpilogue: e2)
                        let expanded = try Tensor.conv2d(x, weight: w1, epilogue: e1)
                        return (fused, try Tensor.conv2d(expanded, weight: w2, stride: stride, padding: kernel / 2, groups: mid, epilogue: e2))
                    }
                    let message = "\(shape) → \(mid) k\(kernel) s\(stride), \(activation), expansion norm \(expandNorm), \(threads) thread(s)"
                    let result = try XCTUnwrap(fused, message)
                    XCTAssertEqual(result.shape, separate.shape, message)
                    XCTAssertEqual(result.scalars.map(\.bitPattern), separate.scalars.map(\.bitPattern), message)
                }
            }
        }
        XCTAssertEqual(ExpandDepthwise.groupChannels(channels: 40, plane: 380), 6)
        XCTAssertEqual(ExpandDepthwise.groupChannels(channels: 96, plane: 64), 12)
        XCTAssertEqual(ExpandDepthwise.groupChannels(channels: 192, plane: 56 * 56), 24)
    }

    /// Planes below the product kernel's 64 positions, expansions of fewer than 24 input channels, and (on
    /// the AVX-512 path) depthwise outputs the lanes kernel takes: nil, so that the caller runs the two
    /// convolutions.
    func testShapesThePassDoesNotTakeGiveNil() throws {
        var cases: [([Int], Int, Int)] = [([1, 32, 7, 7], 48, 1), ([1, 16, 20, 20], 48, 1)]
        if KernelPath.current == .avx512 { cases += [([1, 32, 8, 8], 64, 1), ([1, 32, 32, 32], 64, 2)] }
        for (shape, mid, stride) in cases {
            let result = try Autograd.withoutGrad {
                try Tensor.expandDepthwise(GradientCheck.random(shape, seed: 1), expandWeight: GradientCheck.random([mid, shape[1], 1, 1], seed: 2),
                                           expandEpilogue: nil, depthwiseWeight: GradientCheck.random([mid, 1, 3, 3], seed: 3),
                                           stride: stride, padding: 1, depthwiseEpilogue: nil)
            }
            XCTAssertNil(result, "\(shape) → \(mid)")
        }
    }

    /// Recording gradients, an expansion that is not 1×1, a depthwise weight of other channels and an epilogue
    /// of the wrong width are errors naming the op.
    func testMisuseIsAnError() throws {
        let x = GradientCheck.random([1, 24, 10, 10], seed: 1)
        let w1 = GradientCheck.random([30, 24, 1, 1], seed: 2), w2 = GradientCheck.random([30, 1, 3, 3], seed: 3)
        func run(_ w1: Tensor, _ w2: Tensor, epilogue: ChannelEpilogue? = nil) throws -> Tensor? {
            try Tensor.expandDepthwise(x, expandWeight: w1, expandEpilogue: epilogue, depthwiseWeight: w2, stride: 1, padding: 1,
                                       depthwiseEpilogue: nil)
        }
        XCTAssertThrowsError(try run(w1, w2)) { XCTAssertTrue("\($0)".contains("not differentiable"), "\($0)") }
        try Autograd.withoutGrad {
            XCTAssertNotNil(try run(w1, w2))
            XCTAssertThrowsError(try run(GradientCheck.random([30, 24, 3, 3], seed: 4), w2)) { XCTAssertTrue("\($0)".contains("expandDepthwise"), "\($0)") }
            XCTAssertThrowsError(try run(w1, GradientCheck.random([31, 1, 3, 3], seed: 5))) { XCTAssertTrue("\($0)".contains("do not fit"), "\($0)") }
            let narrow = try XCTUnwrap(Self.evaluationBatchNorm(29, seed: 6).inferenceEpilogue(channels: 29))
            XCTAssertThrowsError(try run(w1, w2, epilogue: narrow)) { XCTAssertTrue("\($0)".contains("29 channels"), "\($0)") }
        }
    }

    /// An `MBConvBlock` in evaluation mode without gradients (the fused pass) and with gradients recorded (the
    /// layers one by one, batch norms after their convolutions) gives the same bits, with and without
    /// squeeze-and-excitation.
    func testMBConvBlockInferenceGivesTheBitsOfTheLayers() throws {
        for (index, squeezeExcite) in [nil, 16].enumerated() {
            var generator = SeededGenerator(seed: UInt64(20 + index))
            let block = MBConvBlock(inChannels: 24, outChannels: 24, kernelSize: 5, stride: 1, middleChannels: 72, activation: .hardSwish,
                                    squeezeExcite: squeezeExcite, generator: &generator)
            for case let (_, bn as BatchNorm) in block.namedModules() {
                bn.runningMean.value = GradientCheck.random(bn.runningMean.value.shape, seed: UInt64(index + 3))
                bn.runningVar.value = GradientCheck.random(bn.runningVar.value.shape, seed: UInt64(index + 4), range: 0.5...2)
            }
            block.eval()
            let x = GradientCheck.random([2, 24, 17, 18], seed: 9)
            XCTAssertTrue(ExpandDepthwise.supports(expand: ConvGeometry(batch: 2, inChannels: 24, outChannels: 72, inHeight: 17, inWidth: 18,
                                                                        kernelHeight: 1, kernelWidth: 1, strideH: 1, strideW: 1, padH: 0,
                                                                        padW: 0, groups: 1),
                                                   depthwise: ConvGeometry(batch: 2, inChannels: 72, outChannels: 72, inHeight: 17, inWidth: 18,
                                                                           kernelHeight: 5, kernelWidth: 5, strideH: 1, strideW: 1, padH: 2,
                                                                           padW: 2, groups: 72)))
            let fused = try Autograd.withoutGrad { try block(x) }, layers = try block(x)
            XCTAssertEqual(fused.scalars.map(\.bitPattern), layers.scalars.map(\.bitPattern), "SE \(squeezeExcite.map(String.init) ?? "none")")
        }
    }
}

import HNASEngine
import HNASTestSupport
import XCTest
@testable import HNASKit

/// `OFAMBConvBlock` inference: with an expansion, evaluation mode without gradients runs the expansion and
/// the depthwise convolution as one pass (`Tensor.expandDepthwise`) and the squeeze-and-excitation's scaling,
/// the projection and the shortcut as another (`Tensor.projection`); it gives the bits of the layers run one
/// by one (evaluation mode with gradients recorded), for an elastic block at a smaller kernel and expand
/// ratio and for the static block extracted from it.
final class OFAMBConvBlockTests: XCTestCase {
    /// A stride-2 block and a stride-1 block with a shortcut (which the projection pass adds), both with
    /// squeeze-and-excitation.
    func testInferenceGivesTheBitsOfTheLayersOneByOne() throws {
        for (inChannels, outChannels, stride) in [(24, 32, 2), (32, 32, 1)] {
            var generator = SeededGenerator(seed: 4)
            let block = OFAMBConvBlock(inChannels: inChannels, outChannels: outChannels, stride: stride, activation: .hardSwish, useSE: true,
                                       kernelSizes: [3, 5, 7], expandRatios: [3, 4, 6], isElastic: true, generator: &generator)
            try block.activate(kernel: 5, expand: 4)
            for (index, bn) in [block.expandBN!, block.depthBN, block.pointBN].enumerated() {
                bn.runningMean.value = GradientCheck.random(bn.runningMean.value.shape, seed: UInt64(10 + index))
                bn.runningVar.value = GradientCheck.random(bn.runningVar.value.shape, seed: UInt64(20 + index), range: 0.5...2)
            }
            block.eval()
            let static_ = try block.extracted()
            static_.eval()
            // A 40×40 input: 1600 positions for the expansion, a 20×20 or 40×40 depthwise output (wider than the
            // lanes kernels take), whose 400 or 1600 positions the projection pass takes.
            let x = GradientCheck.random([2, inChannels, 40, 40], seed: 5, range: -2...2), mid = 4 * inChannels, side = 40 / stride
            XCTAssertTrue(Tensor.expandDepthwiseTakes(x.shape, channels: mid, kernel: 5, stride: stride, padding: 2), "the fused pass takes the block's shapes")
            XCTAssertTrue(Tensor.projectionTakes([2, mid, side, side], outChannels: outChannels), "the projection pass takes the block's shapes")
            XCTAssertEqual(block.hasShortcut, stride == 1)
            for (name, net) in [("elastic", block), ("extracted", static_)] {
                let fused = try Autograd.withoutGrad { try net(x) }, layers = try net(x)
                XCTAssertEqual(fused.shape, [2, outChannels, side, side], name)
                XCTAssertEqual(fused.scalars.map(\.bitPattern), layers.scalars.map(\.bitPattern), "\(name), stride \(stride)")
            }
        }
    }
}

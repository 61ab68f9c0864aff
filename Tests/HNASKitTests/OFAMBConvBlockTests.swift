import HNASEngine
import HNASTestSupport
import XCTest
@testable import HNASKit

/// `OFAMBConvBlock` inference: with an expansion, evaluation mode without gradients runs the expansion and
/// the depthwise convolution as one pass (`Tensor.expandDepthwise`); it gives the bits of the layers run one
/// by one (evaluation mode with gradients recorded), for an elastic block at a smaller kernel and expand
/// ratio and for the static block extracted from it.
final class OFAMBConvBlockTests: XCTestCase {
    func testInferenceGivesTheBitsOfTheLayersOneByOne() throws {
        var generator = SeededGenerator(seed: 4)
        let block = OFAMBConvBlock(inChannels: 24, outChannels: 32, stride: 2, activation: .hardSwish, useSE: true,
                                   kernelSizes: [3, 5, 7], expandRatios: [3, 4, 6], isElastic: true, generator: &generator)
        try block.activate(kernel: 5, expand: 4)
        for (index, bn) in [block.expandBN!, block.depthBN, block.pointBN].enumerated() {
            bn.runningMean.value = GradientCheck.random(bn.runningMean.value.shape, seed: UInt64(10 + index))
            bn.runningVar.value = GradientCheck.random(bn.runningVar.value.shape, seed: UInt64(20 + index), range: 0.5...2)
        }
        block.eval()
        let static_ = try block.extracted()
        static_.eval()
        // A 40×40 input: 1600 positions for the expansion, a 20×20 depthwise output (wider than the lanes kernels take).
        let x = GradientCheck.random([2, 24, 40, 40], seed: 5, range: -2...2)
        XCTAssertNotNil(try Autograd.withoutGrad {
            try Tensor.expandDepthwise(x, expandWeight: GradientCheck.random([96, 24, 1, 1], seed: 6), expandEpilogue: nil,
                                       depthwiseWeight: GradientCheck.random([96, 1, 5, 5], seed: 7), stride: 2, padding: 2,
                                       depthwiseEpilogue: nil)
        }, "the fused pass takes the block's shapes")
        for (name, net) in [("elastic", block), ("extracted", static_)] {
            let fused = try Autograd.withoutGrad { try net(x) }, layers = try net(x)
            XCTAssertEqual(fused.shape, [2, 32, 20, 20], name)
            XCTAssertEqual(fused.scalars.map(\.bitPattern), layers.scalars.map(\.bitPattern), name)
        }
    }
}

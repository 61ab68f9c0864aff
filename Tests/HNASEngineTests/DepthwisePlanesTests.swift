import HNASTestSupport
import XCTest
@testable import HNASEngine

/// `DepthwisePlanes`: the C kernel stores each output vector straight into the output plane through the
/// batch norm and activation (`hnas_ck_depthwise_plane`); the planes must have the bits of the convolution
/// followed by the separate batch norm, on both instruction-set paths.
final class DepthwisePlanesTests: XCTestCase {
    /// (input shape, kernel, stride): output rows of 14 (one partial 16-column block, or 8 + 6), 28 (16 + 8 +
    /// a partial 8), 15, 40 and 19 columns; planes whose size is no multiple of 8 (196, 210, 95), so the
    /// affine map's last n mod 8 lanes are rounded apart; heights that 7- and 8-row blocks do not divide.
    static let cases: [([Int], Int, Int)] = [
        ([1, 3, 14, 14], 7, 1), ([2, 4, 28, 28], 5, 1), ([1, 5, 27, 29], 7, 2), ([1, 2, 23, 40], 3, 1), ([1, 3, 9, 37], 3, 2),
    ]

    func testEpilogueInTheKernelGivesTheBitsOfTheSeparateOpsOnBothPaths() throws {
        for (index, (shape, kernel, stride)) in Self.cases.enumerated() {
            let channels = shape[1], seed = UInt64(500 + 10 * index)
            let x = GradientCheck.random(shape, seed: seed, range: -3...3)
            let w = GradientCheck.random([channels, 1, kernel, kernel], seed: seed + 1)
            let bias = index % 2 == 0 ? GradientCheck.random([channels], seed: seed + 2) : nil
            let bn = ExpandDepthwiseTests.evaluationBatchNorm(channels, seed: seed + 3)
            let geometry = ConvGeometry(batch: shape[0], inChannels: channels, outChannels: channels, height: shape[2], width: shape[3],
                                        kernel: kernel, stride: stride, padding: kernel / 2, groups: channels)
            XCTAssertTrue(DepthwiseConv.supports(geometry) && !DepthwiseLanes.supportsForward(geometry), "\(shape)")
            for activation in [Activation.identity, .relu, .relu6, .hardSwish, .hardSigmoid, .mish] {
                try FusedPassCheck.assertSameBits("\(shape) k\(kernel) s\(stride), \(activation)") {
                    let epilogue = try XCTUnwrap(try bn.inferenceEpilogue(channels: channels, activation: activation))
                    let conv = { (e: ChannelEpilogue?) in
                        try Tensor.conv2d(x, weight: w, bias: bias, stride: stride, padding: kernel / 2, groups: channels, epilogue: e)
                    }
                    return (try conv(epilogue), try bn.forward(try conv(nil), activation: activation))
                }
            }
        }
    }

    /// At stride 1 the padded input's rows are whole vectors long and `alignedStart` puts every row's first source
    /// position on an 8-float boundary (so `fill`'s 32-byte stores never straddle a cache line), for paddings of 1
    /// to 4 and widths that are and are not multiples of 8; the two-phase layout of stride 2 is left where it is.
    func testStrideOneInputRowsStartOnTheVectorGrid() {
        for (kernel, width) in [(3, 112), (5, 37), (7, 56), (7, 14), (7, 7), (9, 20)] {
            let g = ConvGeometry(batch: 1, inChannels: 4, outChannels: 4, height: 9, width: width, kernel: kernel, stride: 1,
                                 padding: kernel / 2, groups: 4)
            let plane = PaddedPlane.forInput(g)
            XCTAssertEqual(plane.rowLength % 8, 0, "k\(kernel) w\(width)")
            XCTAssertTrue((0..<8).contains(plane.alignedStart), "k\(kernel) w\(width)")
            for y in 0..<g.inHeight {
                XCTAssertEqual((plane.alignedStart + (y + plane.top) * plane.rowLength + plane.left) % 8, 0, "k\(kernel) w\(width) row \(y)")
            }
        }
        let strided = PaddedPlane.forInput(ConvGeometry(batch: 1, inChannels: 4, outChannels: 4, height: 9, width: 20, kernel: 7, stride: 2,
                                                        padding: 3, groups: 4))
        XCTAssertEqual(strided.alignedStart, 0)
    }
}

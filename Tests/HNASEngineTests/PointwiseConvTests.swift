import HNASTestSupport
import XCTest
@testable import HNASEngine

/// `Tensor.pointwiseConv`: a 1×1 convolution of a channel concatenation, without building it.
final class PointwiseConvTests: XCTestCase {
    /// The reference: `conv1d(concat(inputs))`.
    static func reference(_ inputs: [Tensor], _ w: Tensor, _ b: Tensor) throws -> Tensor {
        try Tensor.conv1d(Tensor.concat(inputs, axis: 1), weight: w, bias: b)
    }

    /// Distinct inputs of odd channel counts and a length of 13, and the same input twice (weight blocks
    /// folded): values as the concatenated convolution, gradients by finite differences.
    func testMatchesTheConcatenatedConvolution() throws {
        let x = GradientCheck.random([3, 5, 13], seed: 1), y = GradientCheck.random([3, 3, 13], seed: 2)
        let w8 = GradientCheck.random([7, 8, 1], seed: 3), w10 = GradientCheck.random([7, 10, 1], seed: 4)
        let b = GradientCheck.random([7], seed: 5)
        for (inputs, w) in [([x, y], w8), ([x, x], w10), ([x, y, x], GradientCheck.random([7, 13, 1], seed: 6))] {
            let got = try Tensor.pointwiseConv(inputs, weight: w, bias: b)
            let expected = try Self.reference(inputs, w, b)
            XCTAssertEqual(got.shape, [3, 7, 13])
            for (u, v) in zip(got.scalars, expected.scalars) { XCTAssertEqual(u, v, accuracy: 1e-5) }
        }
        try GradientCheck.check([x, y, w8, b]) { v in try Tensor.pointwiseConv([v[0], v[1]], weight: v[2], bias: v[3]) }
        try GradientCheck.check([x, w10, b]) { v in try Tensor.pointwiseConv([v[0], v[0]], weight: v[1], bias: v[2]) }
    }

    /// A repeated input gets the gradient of both its weight blocks (through the tape, as `op(v, v)` does).
    func testRepeatedInputGradientMatchesTheConcatenation() throws {
        let x = Parameter(GradientCheck.random([2, 3, 9], seed: 7)), w = Parameter(GradientCheck.random([4, 6, 1], seed: 8))
        let g = GradientCheck.random([2, 4, 9], seed: 9)
        try (Tensor.pointwiseConv([x.value, x.value], weight: w.value) * g).sum().backward()
        let (dx, dw) = (x.grad!.scalars, w.grad!.scalars)
        x.zeroGrad(); w.zeroGrad()
        try (Tensor.conv1d(Tensor.concat([x.value, x.value], axis: 1), weight: w.value) * g).sum().backward()
        for (u, v) in zip(dx, x.grad!.scalars) { XCTAssertEqual(u, v, accuracy: 1e-5) }
        for (u, v) in zip(dw, w.grad!.scalars) { XCTAssertEqual(u, v, accuracy: 1e-5) }
    }

    /// A product big enough to be split over two workers: one and two threads agree bitwise.
    func testThreadCountsGiveIdenticalResults() throws {
        defer { Parallel.threads = ProcessInfo.processInfo.activeProcessorCount }
        let x = GradientCheck.random([64, 33, 16], seed: 10), w = GradientCheck.random([65, 66, 1], seed: 11)
        let g = GradientCheck.random([64, 65, 16], seed: 12)
        let results = try [1, 2].map { threads -> [[Float]] in
            Parallel.threads = threads
            let px = Parameter(x), pw = Parameter(w)
            let y = try Tensor.pointwiseConv([px.value, px.value], weight: pw.value)
            try (y * g).sum().backward()
            return [y.scalars, px.grad!.scalars, pw.grad!.scalars]
        }
        XCTAssertEqual(results[0], results[1])
    }

    /// Products over the same inputs reuse one gather; a different tensor of the same shape, or the same
    /// storage under another shape, is gathered anew; weight gradients read the gather the forward used.
    func testReusedGathersGiveTheReferenceResults() throws {
        let x = Parameter(GradientCheck.random([3, 6, 4], seed: 13)), other = GradientCheck.random([3, 6, 4], seed: 14)
        let w1 = Parameter(GradientCheck.random([5, 12, 1], seed: 15)), w2 = Parameter(GradientCheck.random([7, 12, 1], seed: 16))
        let w3 = GradientCheck.random([2, 12, 1], seed: 17), w4 = GradientCheck.random([2, 3, 1], seed: 18)
        let v = x.value
        let y1 = try Tensor.pointwiseConv([v, v], weight: w1.value), y2 = try Tensor.pointwiseConv([v, v], weight: w2.value)
        let y3 = try Tensor.pointwiseConv([other, other], weight: w3)
        let y4 = try Tensor.pointwiseConv([try v.reshaped([3, 3, 8])], weight: w4)
        for (got, expected) in [(y1, try Self.reference([v, v], w1.value, Tensor(zeros: [5]))), (y2, try Self.reference([v, v], w2.value, Tensor(zeros: [7]))),
                                (y3, try Self.reference([other, other], w3, Tensor(zeros: [2]))),
                                (y4, try Self.reference([try v.reshaped([3, 3, 8])], w4, Tensor(zeros: [2])))] {
            XCTAssertEqual(got.shape, expected.shape)
            for (u, e) in zip(got.scalars, expected.scalars) { XCTAssertEqual(u, e, accuracy: 1e-5) }
        }
        try (y1.sum() + y2.sum()).backward()
        let (dw1, dw2) = (w1.grad!.scalars, w2.grad!.scalars)
        w1.zeroGrad(); w2.zeroGrad()
        try (Tensor.conv1d(Tensor.concat([v, v], axis: 1), weight: w1.value).sum()
             + Tensor.conv1d(Tensor.concat([v, v], axis: 1), weight: w2.value).sum()).backward()
        for (u, e) in zip(dw1 + dw2, w1.grad!.scalars + w2.grad!.scalars) { XCTAssertEqual(u, e, accuracy: 1e-4) }
    }

    func testRejectsMismatchedShapes() {
        let x = Tensor(zeros: [2, 3, 4])
        XCTAssertThrowsError(try Tensor.pointwiseConv([x, Tensor(zeros: [2, 3, 5])], weight: Tensor(zeros: [1, 6, 1])))
        XCTAssertThrowsError(try Tensor.pointwiseConv([x], weight: Tensor(zeros: [1, 4, 1])))
        XCTAssertThrowsError(try Tensor.pointwiseConv([x], weight: Tensor(zeros: [1, 3, 1]), bias: Tensor(zeros: [2])))
    }
}

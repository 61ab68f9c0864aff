import HNASTestSupport
import XCTest
@testable import HNASEngine

final class ConvOpTests: XCTestCase {
    func testStridedPaddedForwardHandComputed() throws {
        // 1×1×3×3 input 1..9, all-ones 3×3 kernel, stride 2, padding 1 → corner window sums, + bias 10.
        let x = try Tensor(shape: [1, 1, 3, 3], scalars: (1...9).map(Float.init))
        let w = Tensor(repeating: 1, shape: [1, 1, 3, 3])
        let y = try Tensor.conv2d(x, weight: w, bias: try Tensor(shape: [1], scalars: [10]), stride: 2, padding: 1)
        XCTAssertEqual(y.shape, [1, 1, 2, 2])
        XCTAssertEqual(y.scalars, [22, 26, 34, 38] as [Float]) // 1+2+4+5, 2+3+5+6, 4+5+7+8, 5+6+8+9, each + 10
    }

    func testGroupedAndDepthwiseForwardHandComputed() throws {
        // Two channels [1, 2 / 3, 4] and [5, 6 / 7, 8]; depthwise 1×1 weights 2 and −1.
        let x = try Tensor(shape: [1, 2, 2, 2], scalars: (1...8).map(Float.init))
        let dw = try Tensor.conv2d(x, weight: try Tensor(shape: [2, 1, 1, 1], scalars: [2, -1]), groups: 2)
        XCTAssertEqual(dw.scalars, [2, 4, 6, 8, -5, -6, -7, -8])
        // groups = 2 with two outputs per group: out 0,1 see channel 0, out 2,3 see channel 1 (2×2 sum kernels).
        let w = try Tensor(shape: [4, 1, 2, 2], scalars: [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
        XCTAssertEqual(try Tensor.conv2d(x, weight: w, groups: 2).scalars, [10, 1, 8, 26])
    }

    func testConv1dHandComputedAndGradients() throws {
        // [1, 1, 4] signal 1 2 3 4, kernel [1, -1] with padding 1: (0−1)… → [-1, -1, -1, -1, 4].
        let x = try Tensor(shape: [1, 1, 4], scalars: [1, 2, 3, 4])
        let y = try Tensor.conv1d(x, weight: try Tensor(shape: [1, 1, 2], scalars: [1, -1]), padding: 1)
        XCTAssertEqual(y.shape, [1, 1, 5])
        XCTAssertEqual(y.scalars, [-1, -1, -1, -1, 4])
        try GradientCheck.check([GradientCheck.random([2, 4, 6], seed: 27), GradientCheck.random([6, 2, 3], seed: 28), GradientCheck.random([6], seed: 29)]) {
            try Tensor.conv1d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 1, groups: 2)
        }
        XCTAssertThrowsError(try Tensor.conv1d(x, weight: Tensor(zeros: [1, 2, 1]))) { XCTAssertTrue("\($0)".contains("conv1d")) }
    }

    func testShapeErrorsNameShapes() {
        let x = Tensor(zeros: [1, 3, 4, 4])
        XCTAssertThrowsError(try Tensor.conv2d(x, weight: Tensor(zeros: [2, 2, 3, 3]))) { error in
            XCTAssertTrue("\(error)".contains("conv2d") && "\(error)".contains("[1, 3, 4, 4]") && "\(error)".contains("[2, 2, 3, 3]"), "\(error)")
        }
        XCTAssertThrowsError(try Tensor.conv2d(x, weight: Tensor(zeros: [2, 3, 7, 7])))
        XCTAssertThrowsError(try Tensor.conv2d(x, weight: Tensor(zeros: [2, 3, 1, 1]), bias: Tensor(zeros: [3])))
        XCTAssertThrowsError(try Tensor.conv2d(Tensor(zeros: [3, 4, 4]), weight: Tensor(zeros: [2, 3, 1, 1])))
    }

    func testGradients() throws {
        let x = GradientCheck.random([2, 4, 5, 5], seed: 21)
        try GradientCheck.check([x, GradientCheck.random([3, 4, 3, 3], seed: 22), GradientCheck.random([3], seed: 23)]) {
            try Tensor.conv2d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 1)
        }
        try GradientCheck.check([x, GradientCheck.random([4, 2, 3, 3], seed: 24)]) {
            try Tensor.conv2d($0[0], weight: $0[1], padding: 1, groups: 2)
        }
        try GradientCheck.check([x, GradientCheck.random([4, 1, 5, 5], seed: 25)]) {
            try Tensor.conv2d($0[0], weight: $0[1], stride: 2, padding: 2, groups: 4)
        }
        try GradientCheck.check([x, GradientCheck.random([6, 4, 1, 1], seed: 26)]) {
            try Tensor.conv2d($0[0], weight: $0[1])
        }
    }
}

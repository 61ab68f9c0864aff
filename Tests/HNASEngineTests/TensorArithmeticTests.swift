import HNASTestSupport
import XCTest
@testable import HNASEngine

final class TensorArithmeticTests: XCTestCase {
    func testBroadcastingForwardHandComputed() throws {
        let a = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let row = try Tensor(shape: [3], scalars: [10, 20, 30])
        let col = try Tensor(shape: [2, 1], scalars: [100, 200])
        XCTAssertEqual(try a + row, try Tensor(shape: [2, 3], scalars: [11, 22, 33, 14, 25, 36]))
        XCTAssertEqual(try a * col, try Tensor(shape: [2, 3], scalars: [100, 200, 300, 800, 1000, 1200]))
        XCTAssertEqual(try row - col, try Tensor(shape: [2, 3], scalars: [-90, -80, -70, -190, -180, -170]))
        XCTAssertEqual(try a / Tensor(scalar: 2), try Tensor(shape: [2, 3], scalars: [0.5, 1, 1.5, 2, 2.5, 3]))
        XCTAssertEqual((a * 2 + 1).scalars, [3, 5, 7, 9, 11, 13])
    }

    func testLargeBroadcastMatchesNaiveLoop() throws {
        // Big enough to be split over workers; [N, C, H, W] ⊙ [N, C, 1, 1] as in squeeze-excite.
        let x = GradientCheck.random([4, 9, 30, 31], seed: 1), s = GradientCheck.random([4, 9, 1, 1], seed: 2)
        let y = try x * s
        let xs = x.scalars, ss = s.scalars
        for i in stride(from: 0, to: y.count, by: 97) { XCTAssertEqual(y.scalars[i], xs[i] * ss[i / (30 * 31)]) }
    }

    func testShapeMismatchNamesOpAndShapes() {
        XCTAssertThrowsError(try Tensor(zeros: [2, 3]) + Tensor(zeros: [4])) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("add") && text.contains("[2, 3]") && text.contains("[4]"), text)
        }
    }

    func testGradients() throws {
        let a = GradientCheck.random([2, 3, 4], seed: 3), b = GradientCheck.random([3, 1], seed: 4)
        let c = GradientCheck.random([3, 1], seed: 5, range: 1...2)
        try GradientCheck.check([a, b]) { try $0[0] + $0[1] }
        try GradientCheck.check([a, b]) { try $0[0] - $0[1] }
        try GradientCheck.check([a, b]) { try $0[0] * $0[1] }
        try GradientCheck.check([a, c]) { try $0[0] / $0[1] }
        try GradientCheck.check([a]) { ($0[0] * 3 - 1) / 2 }
        try GradientCheck.check([c]) { $0[0].log() }
        try GradientCheck.check([a]) { $0[0].exp() }
        try GradientCheck.check([c]) { $0[0].sqrt() }
        try GradientCheck.check([a]) { $0[0].squared() }
    }
}

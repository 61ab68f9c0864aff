import HNASTestSupport
import XCTest
@testable import HNASEngine

final class ReductionTests: XCTestCase {
    func testForwardHandComputed() throws {
        let t = try Tensor(shape: [2, 3], scalars: [1, 5, 3, 4, 2, 6])
        XCTAssertEqual(try t.sum().scalars, [21])
        XCTAssertEqual(try t.sum(axes: [0]).scalars, [5, 7, 9])
        XCTAssertEqual(try t.sum(axes: [1], keepDims: true).shape, [2, 1])
        XCTAssertEqual(try t.mean(axes: [-1]).scalars, [3, 4])
        XCTAssertEqual(try t.max(axes: [1]).scalars, [5, 6])
        XCTAssertEqual(try t.max().scalars, [6])
        XCTAssertEqual(try t.argmaxLastAxis(), [1, 2])
        XCTAssertThrowsError(try Tensor(zeros: [2, 0]).argmaxLastAxis())
    }

    func testGradients() throws {
        let a = GradientCheck.distinct([3, 4, 5], seed: 11)
        try GradientCheck.check([a]) { try $0[0].sum(axes: [0, 2]) }
        try GradientCheck.check([a]) { try $0[0].mean(axes: [1], keepDims: true) }
        try GradientCheck.check([a]) { try $0[0].mean() }
        try GradientCheck.check([a]) { try $0[0].max(axes: [2]) }
        try GradientCheck.check([a]) { try $0[0].max(axes: [0, 1]) }
    }
}

import HNASTestSupport
import XCTest
@testable import HNASEngine

final class SoftmaxTests: XCTestCase {
    func testForwardHandComputed() throws {
        let t = try Tensor(shape: [2, 2], scalars: [0, log(3), 1000, 1000])
        assertClose(try t.softmax(), [0.25, 0.75, 0.5, 0.5])
        assertClose(try t.logSoftmax(), [log(0.25), log(0.75), log(0.5), log(0.5)])
        assertClose(try t.softmax(axis: 0), [0, 0, 1, 1])
    }

    func testGradients() throws {
        let a = GradientCheck.random([2, 3, 4], seed: 12, range: -2...2)
        for axis in [0, 1, 2] {
            try GradientCheck.check([a]) { try $0[0].softmax(axis: axis) }
            try GradientCheck.check([a]) { try $0[0].logSoftmax(axis: axis) }
        }
    }
}

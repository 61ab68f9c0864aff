import HNASTestSupport
import XCTest
@testable import HNASEngine

final class ShapeOpsTests: XCTestCase {
    let t = try! Tensor(shape: [2, 3, 2], scalars: (0..<12).map(Float.init))

    func testForwardHandComputed() throws {
        XCTAssertEqual(try t.reshaped([3, -1]).shape, [3, 4])
        XCTAssertEqual(try t.permuted([2, 0, 1]).scalars, [0, 2, 4, 6, 8, 10, 1, 3, 5, 7, 9, 11])
        XCTAssertEqual(try t.transposed(0, 1).scalars, [0, 1, 6, 7, 2, 3, 8, 9, 4, 5, 10, 11])
        XCTAssertEqual(try t.slice(axis: 1, 1..<3).scalars, [2, 3, 4, 5, 8, 9, 10, 11])
        let parts = try t.split(axis: 2, sizes: [1, 1])
        XCTAssertEqual(parts[0].scalars, [0, 2, 4, 6, 8, 10])
        XCTAssertEqual(try Tensor.concat(parts.reversed(), axis: 2).scalars, [1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10])
        let p = try Tensor(shape: [1, 2], scalars: [1, 2]).padded([(0, 1), (1, 0)], value: -1)
        XCTAssertEqual(p.shape, [2, 3])
        XCTAssertEqual(p.scalars, [-1, 1, 2, -1, -1, -1])
        XCTAssertEqual(try t.flattened().shape, [2, 6])
        let pair = try Tensor.stack([parts[0], parts[1]], axis: 1)
        XCTAssertEqual(pair.shape, [2, 2, 3, 1])
        XCTAssertEqual(pair.scalars, [0, 2, 4, 1, 3, 5, 6, 8, 10, 7, 9, 11])
    }

    func testErrorsNameOpAndShape() {
        XCTAssertThrowsError(try t.reshaped([5, 2])) { XCTAssertTrue("\($0)".contains("reshape") && "\($0)".contains("[2, 3, 2]")) }
        XCTAssertThrowsError(try t.slice(axis: 1, 2..<4)) { XCTAssertTrue("\($0)".contains("slice")) }
        XCTAssertThrowsError(try t.permuted([0, 0, 1])) { XCTAssertTrue("\($0)".contains("permute")) }
        XCTAssertThrowsError(try Tensor.concat([t, Tensor(zeros: [2, 2, 3])], axis: 0)) { XCTAssertTrue("\($0)".contains("concat")) }
        XCTAssertThrowsError(try t.split(axis: 0, sizes: [1, 2])) { XCTAssertTrue("\($0)".contains("split")) }
        XCTAssertThrowsError(try t.sum(axes: [3])) { XCTAssertTrue("\($0)".contains("sum")) }
    }

    func testGradients() throws {
        let a = GradientCheck.random([2, 3, 4], seed: 7), b = GradientCheck.random([2, 2, 4], seed: 8)
        try GradientCheck.check([a]) { try $0[0].reshaped([6, 4]) }
        try GradientCheck.check([a]) { try $0[0].permuted([1, 2, 0]) }
        try GradientCheck.check([a]) { try $0[0].transposed() }
        try GradientCheck.check([a]) { try $0[0].slice(axis: 2, 1..<3) }
        try GradientCheck.check([a]) { try $0[0].block(offsets: [1, 1, 1], shape: [1, 2, 2]) }
        try GradientCheck.check([a]) { try $0[0].padded([(0, 0), (1, 2), (0, 1)]) }
        try GradientCheck.check([a, b]) { try Tensor.concat([$0[0], $0[1]], axis: 1) }
        try GradientCheck.check([a, a]) { try Tensor.stack([$0[0], $0[1]], axis: -1) }
        try GradientCheck.check([a]) { try Tensor.concat(try $0[0].split(axis: 1, sizes: [2, 1]).reversed(), axis: 1) }
    }
}

import HNASTestSupport
import XCTest
@testable import HNASEngine

final class LinearCombinationTests: XCTestCase {
    func testHandComputed() throws {
        let a = try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]), b = try Tensor(shape: [2, 2], scalars: [10, 20, 30, 40])
        let w = try Tensor(shape: [2, 1], scalars: [0.5, -1])
        XCTAssertEqual(try Tensor.linearCombination([a, b], weights: w).scalars, [-9.5, -19, -28.5, -38])
        XCTAssertThrowsError(try Tensor.linearCombination([a, b], weights: Tensor(zeros: [3])))
        XCTAssertThrowsError(try Tensor.linearCombination([a, Tensor(zeros: [4])], weights: w))
    }

    func testGradients() throws {
        let ts = (0..<3).map { GradientCheck.random([2, 3, 5], seed: UInt64(30 + $0)) }
        try GradientCheck.check(ts + [GradientCheck.random([3], seed: 40)]) { v in
            try Tensor.linearCombination(Array(v[0..<3]), weights: v[3])
        }
    }

    /// A size split over workers and into several partial dot products: one and two threads agree bitwise.
    func testThreadCountsGiveIdenticalResults() throws {
        defer { Parallel.threads = ProcessInfo.processInfo.activeProcessorCount }
        let ts = (0..<4).map { GradientCheck.random([70_001], seed: UInt64(50 + $0)) }
        let g = GradientCheck.random([70_001], seed: 60)
        let results = try [1, 2].map { threads -> [[Float]] in
            Parallel.threads = threads
            let ps = ts.map { Parameter($0) }, w = Parameter(try Tensor(shape: [4], scalars: [0.1, 0.2, 0.3, 0.4]))
            let y = try Tensor.linearCombination(ps.map(\.value), weights: w.value)
            try (y * g).sum().backward()
            return [y.scalars, w.grad!.scalars] + ps.map { $0.grad!.scalars }
        }
        XCTAssertEqual(results[0], results[1])
    }
}

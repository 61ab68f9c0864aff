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

/// `linearCombinations` and `addLinearCombination`: several mixtures of the same tensors in one pass, and a
/// mixture continued with more candidates, with `linearCombination`'s bits.
final class LinearCombinationsTests: XCTestCase {
    func testGiveTheBitsOfLinearCombination() throws {
        let ts = (0..<5).map { GradientCheck.random([70_001], seed: UInt64(70 + $0)) }
        let rows: [[Float]] = [[0.1, 0.7, -0.3], [0.25, 0.5, 0.125]]
        let more: [Float] = [0.3, -1.7]
        try Autograd.withoutGrad {
            var mixed = try Tensor.linearCombinations(Array(ts[..<3]), weights: rows)
            for (m, row) in rows.enumerated() {
                let expected = try Tensor.linearCombination(Array(ts[..<3]), weights: Tensor(shape: [3], scalars: row))
                XCTAssertEqual(mixed[m].scalars.map(\.bitPattern), expected.scalars.map(\.bitPattern))
            }
            var continued = mixed.removeFirst()
            try continued.addLinearCombination(Array(ts[3...]), weights: more)
            let all = try Tensor.linearCombination(ts, weights: Tensor(shape: [5], scalars: rows[0] + more))
            XCTAssertEqual(continued.scalars.map(\.bitPattern), all.scalars.map(\.bitPattern))
        }
    }

    func testErrors() throws {
        let a = Tensor(zeros: [2, 2]), p = Parameter(Tensor(zeros: [2, 2]))
        XCTAssertThrowsError(try Tensor.linearCombinations([p.value, a], weights: [[1, 2]]))  // recording
        var sum = a
        XCTAssertThrowsError(try sum.addLinearCombination([p.value], weights: [1]))  // recording
        try Autograd.withoutGrad {
            XCTAssertThrowsError(try Tensor.linearCombinations([a, a], weights: [[1]]))
            XCTAssertThrowsError(try Tensor.linearCombinations([a, Tensor(zeros: [4])], weights: [[1, 2]]))
            XCTAssertThrowsError(try Tensor.linearCombinations([], weights: []))
            XCTAssertThrowsError(try sum.addLinearCombination([Tensor(zeros: [4])], weights: [1]))
            XCTAssertThrowsError(try sum.addLinearCombination([a], weights: [1, 2]))
            try sum.addLinearCombination([try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])], weights: [2])
            XCTAssertEqual(sum.scalars, [2, 4, 6, 8])
        }
    }
}

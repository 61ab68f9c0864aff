import HNASTestSupport
import XCTest
@testable import HNASEngine

final class PoolingTests: XCTestCase {
    let x = try! Tensor(shape: [1, 1, 3, 4], scalars: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])

    /// A batch-1 tensor of many planes (squeeze-and-excitation on a 28×28 stage) is pooled by the workers:
    /// the same bits at one and two threads, each plane's mean within rounding of a double-precision sum.
    func testGlobalAveragePoolOfManyPlanesSplitOverThreads() throws {
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        let t = GradientCheck.random([1, 192, 28, 28], seed: 3, range: -2...2)
        XCTAssertGreaterThanOrEqual(192, 2 * Tensor.grain(itemSize: 28 * 28), "the planes are split")
        let results = try [1, 2].map { threads -> [Float] in
            Parallel.threads = threads
            return try t.globalAveragePool().scalars
        }
        XCTAssertEqual(results[0].map(\.bitPattern), results[1].map(\.bitPattern))
        let scalars = t.scalars
        for p in 0..<192 {
            let mean = scalars[(p * 784)..<((p + 1) * 784)].reduce(0.0) { $0 + Double($1) } / 784
            XCTAssertEqual(Double(results[1][p]), mean, accuracy: 1e-5, "plane \(p)")
        }
    }

    func testForwardHandComputed() throws {
        XCTAssertEqual(try x.globalAveragePool().scalars, [6.5])
        XCTAssertEqual(try x.globalAveragePool().shape, [1, 1, 1, 1])
        // Rows split into 0..<2 and 1..<3, columns into 0..<2 and 2..<4.
        XCTAssertEqual(try x.adaptiveAveragePool(outHeight: 2, outWidth: 2).scalars, [3.5, 5.5, 7.5, 9.5])
        XCTAssertEqual(try x.adaptiveMaxPool(outHeight: 2, outWidth: 2).scalars, [6, 8, 10, 12])
        XCTAssertEqual(try x.adaptiveMaxPool(outHeight: 1, outWidth: 3).scalars, [10, 11, 12])
        XCTAssertEqual(try x.maxPool(kernel: 2).scalars, [6, 8])
        XCTAssertEqual(try x.maxPool(kernel: 3, stride: 2, padding: 1).scalars, [6, 8, 10, 12])
    }

    func testDropoutIsSeededAndScaled() throws {
        var g1 = SeededGenerator(seed: 5), g2 = SeededGenerator(seed: 5)
        let ones = Tensor(repeating: 1, shape: [1000])
        let a = try ones.dropout(probability: 0.25, generator: &g1), b = try ones.dropout(probability: 0.25, generator: &g2)
        XCTAssertEqual(a, b)
        XCTAssertTrue(a.scalars.allSatisfy { $0 == 0 || abs($0 - 4 / 3) < 1e-6 })
        let dropped = a.scalars.filter { $0 == 0 }.count
        XCTAssertTrue((200...300).contains(dropped), "\(dropped) of 1000 dropped")
        XCTAssertThrowsError(try ones.dropout(probability: 1, generator: &g1))
    }

    /// The mask depends only on the seed and each element's index: one and two threads give the same
    /// bits on a tensor big enough to be split, the first elements of a longer tensor get the same mask,
    /// the backward pass multiplies by the same mask, and the next call draws a different one.
    func testDropoutMaskIsIndependentOfThreadsAndSplits() throws {
        defer { Parallel.threads = ProcessInfo.processInfo.activeProcessorCount }
        let x = GradientCheck.random([3, 70_001], seed: 61)
        let results = try [1, 2].map { threads -> [Float] in
            Parallel.threads = threads
            var g = SeededGenerator(seed: 9)
            return try x.dropout(probability: 0.4, generator: &g).scalars
        }
        XCTAssertEqual(results[0], results[1])
        var g1 = SeededGenerator(seed: 9), g2 = SeededGenerator(seed: 9)
        let head = try x.slice(axis: 1, 0..<37).slice(axis: 0, 0..<1)
        let short = try head.dropout(probability: 0.4, generator: &g1).scalars
        XCTAssertEqual(short, Array(results[0][0..<37]))
        let p = Parameter(x)
        try p.value.dropout(probability: 0.4, generator: &g2).sum().backward()
        XCTAssertEqual(p.grad!.scalars.map { $0 == 0 }, results[0].map { $0 == 0 })
        let next = try x.dropout(probability: 0.4, generator: &g2).scalars
        XCTAssertNotEqual(next.map { $0 == 0 }, results[0].map { $0 == 0 })
        let kept = results[0].filter { $0 != 0 }.count
        XCTAssertEqual(Double(kept) / Double(x.count), 0.6, accuracy: 0.01)
    }

    func testGradients() throws {
        let t = GradientCheck.random([2, 2, 5, 4], seed: 51)
        try GradientCheck.check([t]) { try $0[0].globalAveragePool() }
        try GradientCheck.check([t]) { try $0[0].adaptiveAveragePool(outHeight: 3, outWidth: 3) }
        try GradientCheck.check([GradientCheck.distinct([2, 2, 5, 4], seed: 52)]) { try $0[0].maxPool(kernel: 3, stride: 2, padding: 1) }
        try GradientCheck.check([GradientCheck.distinct([2, 2, 5, 4], seed: 53)]) { try $0[0].adaptiveMaxPool(outHeight: 3, outWidth: 2) }
        try GradientCheck.check([t]) { t in
            var g = SeededGenerator(seed: 3)
            return try t[0].dropout(probability: 0.5, generator: &g)
        }
    }
}

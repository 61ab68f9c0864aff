import XCTest
import HNASTestSupport
@testable import HNASEngine

/// Synchronised BatchNorm: shards of a batch normalised with statistics summed over the shards
/// give what one BatchNorm gives on the whole batch — outputs, input and affine gradients
/// (summed over shards), and running statistics.
final class SynchronizedBatchNormTests: XCTestCase {
    private func assertClose(_ a: [Float], _ b: [Float], _ what: String, tolerance: Float = 2e-5, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, what, line: line)
        let worst = zip(a, b).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
        XCTAssertLessThan(worst, tolerance, "\(what): largest relative difference \(worst)", line: line)
    }

    func testShardedBatchNormEqualsWholeBatch() throws {
        var g = SeededGenerator(seed: 5)
        let (n, c, h, w) = (5, 3, 4, 4)
        let x = try Tensor(shape: [n, c, h, w], scalars: (0..<(n * c * h * w)).map { _ in Float(g.normal()) * 2 + 1 })
        let upstream = try Tensor(shape: [n, c, h, w], scalars: (0..<(n * c * h * w)).map { _ in Float(g.normal()) })
        func layer() -> BatchNorm {
            let bn = BatchNorm(features: c)
            bn.weight.value = try! Tensor(shape: [c], scalars: [0.5, 1.5, -1])
            bn.bias.value = try! Tensor(shape: [c], scalars: [0.1, 0, -0.2])
            return bn
        }
        /// Output, input gradient, weight and bias gradients, running mean and variance of `bn` on rows `rows`.
        func pass(_ bn: BatchNorm, rows: Range<Int>) throws -> [[Float]] {
            let input = Parameter(try x.slice(axis: 0, rows))
            let y = try bn.forward(input.value, activation: .relu)
            try (y * upstream.slice(axis: 0, rows)).sum().backward()
            return [y.scalars, input.grad!.scalars, bn.weight.grad!.scalars, bn.bias.grad!.scalars,
                    bn.runningMean.value.scalars, bn.runningVar.value.scalars]
        }
        let whole = try pass(layer(), rows: 0..<n)

        let group = ThreadGroup(size: 2)
        let shards = [BatchShard(rank: 0, of: 2, total: n), BatchShard(rank: 1, of: 2, total: n)]
        XCTAssertEqual(shards.map(\.count), [3, 2])
        let parts = try group.run { rank -> [[Float]] in
            let bn = layer()
            bn.statisticsReducer = ThreadReducer(rank: rank, group: group)
            return try pass(bn, rows: shards[rank].offset..<shards[rank].offset + shards[rank].count)
        }.map { try $0.get() }
        assertClose(parts[0][0] + parts[1][0], whole[0], "output")
        assertClose(parts[0][1] + parts[1][1], whole[1], "input gradient")
        assertClose(zip(parts[0][2], parts[1][2]).map(+), whole[2], "weight gradient (summed over shards)")
        assertClose(zip(parts[0][3], parts[1][3]).map(+), whole[3], "bias gradient (summed over shards)")
        for (i, name) in [(4, "running mean"), (5, "running variance")] {
            assertClose(parts[0][i], whole[i], name)
            XCTAssertEqual(parts[0][i], parts[1][i], "\(name) is the same on every shard")
        }
    }

    func testShardedDropoutKeepsItsRowsOfTheWholeBatchMask() throws {
        let x = Tensor(repeating: 1, shape: [5, 7])
        var whole = SeededGenerator(seed: 11)
        let mask = try x.dropout(probability: 0.5, generator: &whole).scalars
        for rank in 0..<2 {
            let shard = BatchShard(rank: rank, of: 2, total: 5)
            var g = SeededGenerator(seed: 11)
            let part = try Tensor(repeating: 1, shape: [shard.count, 7]).dropout(probability: 0.5, generator: &g, shard: shard)
            XCTAssertEqual(part.scalars, Array(mask[(shard.offset * 7)..<((shard.offset + shard.count) * 7)]))
            XCTAssertEqual(g, whole, "the stream advances as for the whole batch")
        }
        var g = SeededGenerator(seed: 11)
        XCTAssertThrowsError(try x.dropout(probability: 0.5, generator: &g, shard: BatchShard(rank: 0, of: 2, total: 5)))
    }
}

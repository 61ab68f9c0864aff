import HNASKit
import SearchEvolution
import XCTest

final class HypervolumeTests: XCTestCase {
    func testKnownTwoDimensionalStaircase() throws {
        let points = try ObjectiveMatrix(rows: [[1, 3], [2, 2], [3, 1], [2.5, 2.5], [5, 0]])
        // (4−1)(4−3) + (4−2)(3−2) + (4−3)(2−1) = 6; (2.5, 2.5) is dominated, (5, 0) is beyond the reference.
        XCTAssertEqual(try Hypervolume.of(points, reference: [4, 4]), 6, accuracy: 1e-12)
    }

    func testKnownThreeDimensionalSets() throws {
        XCTAssertEqual(try Hypervolume.of(try ObjectiveMatrix(rows: [[1, 1, 1]]), reference: [2, 3, 4]), 6, accuracy: 1e-12)
        // Two boxes 2·2·1 and 1·1·2 overlapping in a unit cube: 4 + 2 − 1.
        let two = try ObjectiveMatrix(rows: [[0, 0, 1], [1, 1, 0]])
        XCTAssertEqual(try Hypervolume.of(two, reference: [2, 2, 2]), 5, accuracy: 1e-12)
        // Duplicates and dominated points change nothing.
        let padded = try ObjectiveMatrix(rows: [[0, 0, 1], [1, 1, 0], [1, 1, 0], [1, 1, 1.5], [0, 0, 1]])
        XCTAssertEqual(try Hypervolume.of(padded, reference: [2, 2, 2]), 5, accuracy: 1e-12)
        // The unit simplex corners: three boxes of volume 1·... each pair overlapping.
        let corners = try ObjectiveMatrix(rows: [[0, 1, 1], [1, 0, 1], [1, 1, 0]])
        // Union of [0,2]×[1,2]×[1,2] etc.: 3·2 − 3·1 + 1 = 4.
        XCTAssertEqual(try Hypervolume.of(corners, reference: [2, 2, 2]), 4, accuracy: 1e-12)
    }

    func testOneDimensionAndEmpty() throws {
        XCTAssertEqual(try Hypervolume.of(try ObjectiveMatrix(rows: [[3], [1], [2]]), reference: [5]), 4)
        XCTAssertEqual(try Hypervolume.of(try ObjectiveMatrix(rows: [[6, 1]]), reference: [5, 5]), 0)
    }

    /// Random sets in 2 to 5 objectives against inclusion–exclusion over all subsets (exact, exponential).
    func testAgreesWithInclusionExclusion() throws {
        var rng = SeededGenerator(seed: 7)
        for dimension in 2...5 {
            for _ in 0..<8 {
                let count = 1 + rng.int(below: 8)
                let rows = (0..<count).map { _ in (0..<dimension).map { _ in Double(rng.int(below: 10)) / 10 } }
                let reference = [Double](repeating: 1, count: dimension)
                let expected = inclusionExclusion(rows, reference)
                XCTAssertEqual(try Hypervolume.of(try ObjectiveMatrix(rows: rows), reference: reference), expected,
                               accuracy: 1e-12, "\(rows)")
            }
        }
    }

    func testReferenceLengthIsChecked() throws {
        XCTAssertThrowsError(try Hypervolume.of(try ObjectiveMatrix(rows: [[1, 2]]), reference: [3]))
        XCTAssertThrowsError(try Hypervolume.of(try ObjectiveMatrix(rows: [[1, 2]]), reference: [3, .infinity]))
    }

    /// Many objectives with many points are refused with the limit in the error instead of running for hours;
    /// the same points in 3 objectives, or few points in 10, are computed.
    func testCostlyManyObjectiveVolumesAreRefused() throws {
        var generator = SystemRandomNumberGenerator()
        let rows = (0..<40).map { _ in (0..<10).map { _ in Double.random(in: 0..<1, using: &generator) } }
        XCTAssertThrowsError(try Hypervolume.of(try ObjectiveMatrix(rows: rows), reference: Array(repeating: 2, count: 10))) {
            XCTAssertTrue("\($0)".contains("the exact hypervolume of 40 points in 10 objectives is too costly"), "\($0)")
        }
        XCTAssertNoThrow(try Hypervolume.of(try ObjectiveMatrix(rows: rows.map { Array($0.prefix(3)) }), reference: [2, 2, 2]))
        XCTAssertNoThrow(try Hypervolume.of(try ObjectiveMatrix(rows: Array(rows.prefix(4))), reference: Array(repeating: 2, count: 10)))
    }

    private func inclusionExclusion(_ rows: [[Double]], _ reference: [Double]) -> Double {
        var total = 0.0
        for mask in 1..<(1 << rows.count) {
            var corner = [Double](repeating: -.infinity, count: reference.count)
            var size = 0
            for (i, row) in rows.enumerated() where mask & (1 << i) != 0 {
                size += 1
                for j in corner.indices { corner[j] = max(corner[j], row[j]) }
            }
            let volume = zip(reference, corner).reduce(1.0) { $0 * max(0, $1.0 - $1.1) }
            total += size % 2 == 1 ? volume : -volume
        }
        return total
    }
}

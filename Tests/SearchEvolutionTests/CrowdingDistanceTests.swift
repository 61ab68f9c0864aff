import SearchEvolution
import XCTest

final class CrowdingDistanceTests: XCTestCase {
    func testWorkedExampleOne() {
        let front0 = CrowdingDistance.of(WorkedExamples.first, front: [0, 1, 2, 4])
        XCTAssertEqual(front0[0], (10.0 / 15 + 2 / 2.5 + 2.0 / 3) / 3, accuracy: 1e-12)
        XCTAssertEqual(front0[1], .infinity)
        XCTAssertEqual(front0[2], (10.0 / 15 + 1.5 / 2.5 + 2.0 / 3) / 3, accuracy: 1e-12)
        XCTAssertEqual(front0[3], .infinity)
        XCTAssertEqual(front0[0], 0.7111, accuracy: 1e-4)
        XCTAssertEqual(front0[2], 0.6444, accuracy: 1e-4)
        let front1 = CrowdingDistance.of(WorkedExamples.first, front: [3, 5, 7])
        XCTAssertEqual(front1[0], 1.0, accuracy: 1e-12)
        XCTAssertEqual(Array(front1[1...]), [.infinity, .infinity])
    }

    /// Duplicates get 0, a constant objective gives nobody +∞.
    func testWorkedExampleTwoDuplicatesAndConstantObjective() {
        let cd = CrowdingDistance.of(WorkedExamples.second, front: [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(cd[0], .infinity)
        XCTAssertEqual(cd[1], 0.3, accuracy: 1e-12)
        XCTAssertEqual(cd[2], 0)
        XCTAssertEqual(cd[3], (0.8 + 2.0 / 3) / 3, accuracy: 1e-12)
        XCTAssertEqual(cd[3], 0.4889, accuracy: 1e-4)
        XCTAssertEqual(cd[4], (0.2 + 1.0 / 3) / 3, accuracy: 1e-12)
        XCTAssertEqual(cd[5], .infinity)
    }

    func testSmallFrontsAreAllInfinite() throws {
        let points = try ObjectiveMatrix(rows: [[1, 2], [2, 1]])
        XCTAssertEqual(CrowdingDistance.of(points, front: [0, 1]), [.infinity, .infinity])
        XCTAssertEqual(CrowdingDistance.of(points, front: [1]), [.infinity])
        XCTAssertEqual(CrowdingDistance.of(points, front: []), [])
    }

    /// A point extreme in only one objective is +∞; with a tie at the extreme the earlier one is "first".
    func testExtremesAndTiesAtTheExtreme() throws {
        let points = try ObjectiveMatrix(rows: [[0, 4], [1, 2], [2, 1], [4, 0], [0, 4.0000001]])
        let cd = CrowdingDistance.of(points, front: [0, 1, 2, 3, 4])
        // Objective 0 sorted: 0 (pos 0), 0 (pos 4), 1, 2, 4 -> position 0 is the extreme, position 4 is interior.
        XCTAssertEqual(cd[0], .infinity)
        XCTAssertEqual(cd[3], .infinity)
        // Position 4 is the largest in objective 1, so it is extreme there.
        XCTAssertEqual(cd[4], .infinity)
        XCTAssertEqual(cd[1], ((2.0 - 0) / 4 + (4 - 1.0) / 4.0000001) / 2, accuracy: 1e-12)
    }

    func testAllDuplicatesGetZero() throws {
        let points = try ObjectiveMatrix(rows: [[1, 1], [1, 1], [1, 1]])
        XCTAssertEqual(CrowdingDistance.of(points, front: [0, 1, 2]), [0, 0, 0])
    }

    /// Closer than 1e-24 to an earlier point counts as a duplicate even when not bit-equal.
    func testNearDuplicatesWithinEpsilonCount() throws {
        let points = try ObjectiveMatrix(rows: [[-1, 3], [1e-30, 1], [2e-30, 1], [3, 0], [1e-20, 1]])
        let cd = CrowdingDistance.of(points, front: [0, 1, 2, 3])
        XCTAssertEqual(cd[2], 0)
        XCTAssertEqual(cd[1], 1, accuracy: 1e-12)
        // 1e-20 apart is not a duplicate.
        XCTAssertNotEqual(CrowdingDistance.of(points, front: [0, 1, 4, 3])[2], 0)
    }
}

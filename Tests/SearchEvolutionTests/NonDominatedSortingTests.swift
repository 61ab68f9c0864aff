import SearchEvolution
import XCTest

final class NonDominatedSortingTests: XCTestCase {
    func testWorkedExampleOneFronts() {
        XCTAssertEqual(NonDominatedSorting.fronts(WorkedExamples.first), [[0, 1, 2, 4], [3, 5, 7], [6]])
    }

    func testWorkedExampleTwoEqualRowsShareAFront() {
        XCTAssertEqual(NonDominatedSorting.fronts(WorkedExamples.second), [[0, 1, 2, 3, 4, 5], [6]])
    }

    func testStopsAfterTheFrontThatReachesTheCount() {
        XCTAssertEqual(NonDominatedSorting.fronts(WorkedExamples.first, stopAfter: 4), [[0, 1, 2, 4]])
        XCTAssertEqual(NonDominatedSorting.fronts(WorkedExamples.first, stopAfter: 5), [[0, 1, 2, 4], [3, 5, 7]])
        XCTAssertEqual(NonDominatedSorting.fronts(WorkedExamples.first, stopAfter: 8).count, 3)
    }

    /// Later fronts come in discovery order, not index order: point 3 is released by front-0 point 0,
    /// before point 2, which waits for front-0 point 1.
    func testLaterFrontsAreInDiscoveryOrder() throws {
        let points = try ObjectiveMatrix(rows: [[0, 2], [2, 0], [3, 1], [1, 3]])
        XCTAssertEqual(NonDominatedSorting.fronts(points), [[0, 1], [3, 2]])
        // A point waits for its LAST dominator in the previous front: 2 is dominated by 0 and 1, 3 only by 0.
        let shared = try ObjectiveMatrix(rows: [[0, 1], [1, 0], [2, 2], [0.5, 3]])
        XCTAssertEqual(NonDominatedSorting.fronts(shared), [[0, 1], [3, 2]])
    }

    func testRanksAndEmptyInput() throws {
        let fronts = NonDominatedSorting.fronts(WorkedExamples.first, stopAfter: 5)
        XCTAssertEqual(NonDominatedSorting.ranks(of: fronts, count: 8), [0, 0, 0, 1, 0, 1, nil, 1])
        XCTAssertEqual(NonDominatedSorting.fronts(try ObjectiveMatrix(rows: [])), [])
    }

    func testDominanceIsStrictInOneObjective() throws {
        let points = try ObjectiveMatrix(rows: [[1, 2], [1, 2], [1, 3], [0, 5]])
        XCTAssertFalse(points.dominates(0, 1))
        XCTAssertTrue(points.dominates(0, 2))
        XCTAssertFalse(points.dominates(0, 3))
        XCTAssertFalse(points.dominates(3, 0))
    }

    func testMatrixRejectsNaNAndRaggedRows() {
        XCTAssertThrowsError(try ObjectiveMatrix(rows: [[1, .nan]])) { error in
            XCTAssertTrue("\(error)".contains("row 0, objective 1 is NaN"), "\(error)")
        }
        XCTAssertThrowsError(try ObjectiveMatrix(rows: [[1, 2], [3]]))
    }
}

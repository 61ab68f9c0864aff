import HNASKit
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

    /// Random integer points (many ties and duplicates) in 1 to 5 objectives: the fronts and their order
    /// equal those of Deb's fast non-dominated sort run literally as the spec describes it.
    func testAgreesWithDebsFastSortIncludingTiesAndDuplicates() throws {
        var rng = SeededGenerator(seed: 11)
        for dimension in 1...5 {
            for _ in 0..<15 {
                let count = 1 + rng.int(below: 60)
                let rows = (0..<count).map { _ in (0..<dimension).map { _ in Double(rng.int(below: 5)) } }
                let points = try ObjectiveMatrix(rows: rows)
                XCTAssertEqual(NonDominatedSorting.fronts(points), debFastSort(points), "\(rows)")
            }
        }
    }

    /// A first front larger than the bitset limit (the last-dominator search falls back to scanning).
    func testLargeFrontsKeepDiscoveryOrder() throws {
        let n = 4200
        var rows: [[Double]] = (0..<n).map { i in [Double(i), Double(n - i)] }
        for i in 0..<30 {
            let x = Double(n - 1 - 97 * i) + 0.5
            rows.append([x, Double(n) - x + 1])
        }
        let points = try ObjectiveMatrix(rows: rows)
        XCTAssertEqual(NonDominatedSorting.fronts(points), debFastSort(points))
    }

    /// The textbook algorithm (pymoo 0.4's Python version): dominance counts and lists built for
    /// i < j in index order; fronts released in that order.
    private func debFastSort(_ points: ObjectiveMatrix) -> [[Int]] {
        let n = points.count
        var dominated = [[Int]](repeating: [], count: n)
        var counts = [Int](repeating: 0, count: n)
        var fronts: [[Int]] = [[]]
        for i in 0..<n {
            for j in (i + 1)..<max(i + 1, n) {
                if points.dominates(i, j) { dominated[i].append(j); counts[j] += 1 }
                else if points.dominates(j, i) { dominated[j].append(i); counts[i] += 1 }
            }
            if counts[i] == 0 { fronts[0].append(i) }
        }
        while true {
            var next: [Int] = []
            for p in fronts.last! {
                for q in dominated[p].sorted() {
                    counts[q] -= 1
                    if counts[q] == 0 { next.append(q) }
                }
            }
            if next.isEmpty { break }
            fronts.append(next)
        }
        return fronts
    }
}

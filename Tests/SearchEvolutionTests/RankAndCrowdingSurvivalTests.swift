import HNASKit
import SearchEvolution
import XCTest

final class RankAndCrowdingSurvivalTests: XCTestCase {
    private func select(_ points: ObjectiveMatrix, _ count: Int, seed: UInt64 = 1, violations: [Double]? = nil)
        -> RankAndCrowdingSurvival.Result {
        var rng = SeededGenerator(seed: seed)
        return RankAndCrowdingSurvival.select(points, count: count, violations: violations, using: &rng)
    }

    func testWholeFrontTakenInFrontOrderWithoutRandomness() {
        for seed in 0..<5 as Range<UInt64> {
            let result = select(WorkedExamples.first, 4, seed: seed)
            XCTAssertEqual(result.survivors, [0, 1, 2, 4])
            XCTAssertEqual(result.fronts, [[0, 1, 2, 4]])
            XCTAssertEqual(result.rank, [0, 0, 0, nil, 0, nil, nil, nil])
        }
    }

    /// n = 6: the cut front [3, 5, 7] loses point 3 (crowding 1.0 < ∞), 5 and 7 come in random order.
    func testCutFrontDropsTheLeastCrowded() {
        var orders = Set<[Int]>()
        for seed in 0..<40 as Range<UInt64> {
            let result = select(WorkedExamples.first, 6, seed: seed)
            XCTAssertEqual(Array(result.survivors.prefix(4)), [0, 1, 2, 4])
            XCTAssertEqual(Set(result.survivors.suffix(2)), [5, 7])
            XCTAssertEqual(result.crowding[3], 1.0)
            XCTAssertNil(result.rank[6])
            orders.insert(result.survivors)
        }
        XCTAssertEqual(orders.count, 2, "both orders of the tied 5 and 7 occur over seeds")
    }

    /// n = 5: one of the tied 5 and 7 survives; which one depends on the seed only.
    func testTiesSameSeedSamePicks() {
        var picked = Set<Int>()
        for seed in 0..<40 as Range<UInt64> {
            let first = select(WorkedExamples.first, 5, seed: seed)
            XCTAssertEqual(first, select(WorkedExamples.first, 5, seed: seed))
            XCTAssertEqual(Array(first.survivors.prefix(4)), [0, 1, 2, 4])
            XCTAssertTrue([5, 7].contains(first.survivors[4]))
            picked.insert(first.survivors[4])
        }
        XCTAssertEqual(picked, [5, 7])
    }

    /// Worked example 2: the duplicate (crowding 0) and point 4 are dropped; 0 and 5 (both ∞) in random order.
    func testWorkedExampleTwo() {
        for seed in 0..<10 as Range<UInt64> {
            let three = select(WorkedExamples.second, 3, seed: seed).survivors
            XCTAssertEqual(Set(three.prefix(2)), [0, 5])
            XCTAssertEqual(three[2], 3)
            let four = select(WorkedExamples.second, 4, seed: seed).survivors
            XCTAssertEqual(Set(four.prefix(2)), [0, 5])
            XCTAssertEqual(Array(four.suffix(2)), [3, 1])
        }
    }

    func testAskingForMoreThanThePopulationKeepsAll() {
        XCTAssertEqual(Set(select(WorkedExamples.first, 20).survivors), Set(0..<8))
        XCTAssertEqual(select(WorkedExamples.first, 0).survivors, [])
    }

    /// Feasible beats infeasible whatever the objectives; among infeasible, the smaller violation wins.
    func testConstraintDomination() throws {
        let points = try ObjectiveMatrix(rows: [[5, 5], [1, 1], [2, 2], [4, 6], [0, 0], [3, 3]])
        let violations = [0, 0.5, 0.1, 0, 0.5, 0.1]
        XCTAssertEqual(RankAndCrowdingSurvival.constrainedFronts(points, violations: violations),
                       [[0, 3], [2, 5], [1, 4]])
        let result = select(points, 2, violations: violations)
        XCTAssertEqual(result.survivors, [0, 3])
        // Point 5 is Pareto-dominated by 2 but only the violation counts between infeasible points.
        let three = select(points, 3, violations: violations)
        XCTAssertEqual(Array(three.survivors.prefix(2)), [0, 3])
        XCTAssertTrue([2, 5].contains(three.survivors[2]))
        XCTAssertEqual(three.rank, [0, nil, 1, 0, nil, 1])
        // All-zero violations are the unconstrained problem.
        XCTAssertEqual(RankAndCrowdingSurvival.constrainedFronts(points, violations: [0, 0, 0, 0, 0, 0]),
                       NonDominatedSorting.fronts(points))
    }
}

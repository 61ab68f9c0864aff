import Foundation
import HNASKit
import SearchEvolution
import XCTest

/// Survival agrees with pymoo 0.6.2's `RankAndCrowding` on generated cases without ties
/// (fixtures from `Scripts/make_nsga2_fixtures.py`).
final class PymooFixtureTests: XCTestCase {
    private struct Fixture: Decodable {
        struct Case: Decodable {
            var objectives: [[Double]]
            var nSurvive: Int
            var fronts: [[Int]]
            var crowding: [[Double?]]
            var survivors: [Int]
        }
        var cases: [Case]
    }

    func testSurvivalFrontsAndCrowdingMatchPymoo() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/nsga2_pymoo.json")
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        XCTAssertEqual(fixture.cases.count, 60)
        for (c, example) in fixture.cases.enumerated() {
            let points = try ObjectiveMatrix(rows: example.objectives)
            XCTAssertEqual(NonDominatedSorting.fronts(points), example.fronts, "case \(c)")
            for (front, expected) in zip(example.fronts, example.crowding) {
                for (got, want) in zip(CrowdingDistance.of(points, front: front), expected) {
                    if let want { XCTAssertEqual(got, want, accuracy: 1e-12, "case \(c)") } else { XCTAssertEqual(got, .infinity, "case \(c)") }
                }
            }
            for seed in [1, 2] as [UInt64] {
                var rng = SeededGenerator(seed: seed)
                let survivors = RankAndCrowdingSurvival.select(points, count: example.nSurvive, using: &rng).survivors
                XCTAssertEqual(survivors.sorted(), example.survivors, "case \(c), seed \(seed)")
            }
        }
    }
}

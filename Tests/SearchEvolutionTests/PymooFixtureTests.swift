import Foundation
import HNASKit
import SearchEvolution
import XCTest

/// Sorting, crowding and survival agree with pymoo on generated cases without ties at the cut
/// (fixtures from `Scripts/make_nsga2_fixtures.py`): pymoo 0.6.2's `RankAndCrowding` on continuous
/// points, and pymoo 0.4.0's `RankAndCrowdingSurvival` — the original's — on small-integer points full
/// of duplicates, ties and constant objectives.
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

    func testMatchesPymoo062() throws {
        try check("nsga2_pymoo.json")
    }

    func testMatchesPymoo040WithDuplicatesAndTies() throws {
        try check("nsga2_pymoo040.json")
    }

    private func check(_ name: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
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

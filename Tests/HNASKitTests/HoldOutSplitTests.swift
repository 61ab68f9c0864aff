import XCTest
@testable import HNASKit

/// The seeded index hold-out shared by the search's validation split and the fusion search's carve.
final class HoldOutSplitTests: XCTestCase {
    func testHoldsOutTheFirstShuffledIndicesSorted() {
        var generator = SeededGenerator(seed: 42), reference = SeededGenerator(seed: 42)
        let split = HoldOutSplit(count: 10, fraction: 0.25, generator: &generator)
        var order = Array(0..<10)
        reference.shuffle(&order)
        XCTAssertEqual(split.held, Array(order[..<3]).sorted(), "2.5 rounds to 3")
        XCTAssertEqual(split.kept, Array(order[3...]).sorted())
        XCTAssertEqual((split.held + split.kept).sorted(), Array(0..<10))
        var again = SeededGenerator(seed: 42)
        XCTAssertEqual(HoldOutSplit(count: 10, fraction: 0.25, generator: &again), split, "same seed, same split")
    }

    func testOutOfRangeFractionsAreClampedForTheCallerToReject() {
        var generator = SeededGenerator(seed: 1)
        XCTAssertEqual(HoldOutSplit(count: 4, fraction: 1.5, generator: &generator).kept, [])
        XCTAssertEqual(HoldOutSplit(count: 4, fraction: -1, generator: &generator).held, [])
        XCTAssertEqual(HoldOutSplit(count: 0, fraction: 0.5, generator: &generator), HoldOutSplit(count: 0, fraction: 0, generator: &generator))
    }
}

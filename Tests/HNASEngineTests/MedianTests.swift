import HNASEngine
import XCTest

final class MedianTests: XCTestCase {
    func testMedianOfRepeats() {
        XCTAssertEqual(median([5, 1, 3]), 3)
        XCTAssertEqual(median([4, 1, 3, 2]), 2.5)
        XCTAssertTrue(median([]).isNaN)
    }
}

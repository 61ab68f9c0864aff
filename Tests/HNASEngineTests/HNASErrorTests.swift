import XCTest
@testable import HNASEngine

final class HNASErrorTests: XCTestCase {
    func testMessagesNameTheSubject() {
        XCTAssertEqual("\(HNASError.file("mnist/train/3/17.jpg", "cannot decode JPEG", why: "premature end of data"))",
                       "cannot decode JPEG 'mnist/train/3/17.jpg': premature end of data")
        XCTAssertEqual("\(HNASError.argument("--threads", why: "must be at least 1, got 0"))",
                       "invalid value for --threads: must be at least 1, got 0")
        XCTAssertEqual("\(HNASError.op("matmul", why: "shapes [2, 3] and [4, 5] do not chain"))",
                       "invalid input to matmul: shapes [2, 3] and [4, 5] do not chain")
    }

    func testTensorInitRejectsWrongCount() {
        XCTAssertThrowsError(try Tensor(shape: [2, 3], scalars: [1, 2, 3])) { error in
            XCTAssertEqual("\(error)", "invalid input to Tensor.init: shape [2, 3] holds 6 elements but 3 were given")
        }
    }
}

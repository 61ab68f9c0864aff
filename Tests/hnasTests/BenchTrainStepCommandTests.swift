import Foundation
import HNASKit
import XCTest
@testable import hnas

/// `hnas bench train-step` runs end to end on a tiny batch (no timing is asserted).
final class BenchTrainStepCommandTests: XCTestCase {
    func testJSONReportHasEveryFigure() throws {
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        let command = try BenchTrainStepCommand.parse(["--net", "avmnist-image-max", "--threads", "1", "--batch", "2",
                                                       "--warmup", "0", "--iters", "1", "--json"])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try command.report().utf8)) as? [String: Any])
        XCTAssertEqual(object["net"] as? String, "avmnist-image-max")
        XCTAssertEqual(object["batch"] as? Int, 2)
        let hnas = try XCTUnwrap(object["hnas"] as? [String: Any])
        XCTAssertEqual(hnas["params"] as? Int, 58522) // torch_reference.py's count for the same net
        for key in ["train_step_ms", "infer_batch_ms", "infer_b1_ms"] {
            let t = try XCTUnwrap(hnas[key] as? [String: Double], key)
            XCTAssertTrue(t["min"]! > 0 && t["min"]! <= t["median"]! && t["median"]! <= t["max"]!, "\(key): \(t)")
        }
        XCTAssertNil(object["torch_default"])
    }

    func testBadArgumentsAreNamedErrors() throws {
        XCTAssertThrowsError(try BenchTrainStepCommand.parse(["--net", "nope", "--batch", "1"]).report()) {
            XCTAssertTrue("\($0)".contains("--net") && "\($0)".contains("avmnist-image-max"), "\($0)")
        }
        XCTAssertThrowsError(try BenchTrainStepCommand.parse(["--iters", "0"]).report()) { XCTAssertTrue("\($0)".contains("--iters")) }
        XCTAssertThrowsError(try BenchTrainStepCommand.parse(["--batch", "1", "--iters", "1", "--warmup", "0", "--threads", "1",
                                                              "--compare-torch", "--torch-script", "/nonexistent/ref.py"]).report()) {
            XCTAssertTrue("\($0)".contains("/nonexistent/ref.py"), "\($0)")
        }
    }
}

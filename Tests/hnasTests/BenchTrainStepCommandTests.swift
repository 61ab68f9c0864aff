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

    /// With --rounds, each round's ratios are hnas's median over the reference's, and the summary gives their median
    /// and range. The reference here is a stand-in script whose medians are 1, 2 and 4 ms in the default layout and
    /// twice that channels-last, so every ratio is known from hnas's own figures.
    func testRoundsSummariseTheRatiosOfEachRound() throws {
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bench-rounds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("reference.py")
        try """
            import json, sys
            k = 2.0 if "--channels-last" in sys.argv else 1.0
            t = lambda m: {"min": m * k / 2, "median": m * k, "max": m * k * 2}
            print(json.dumps({"train_step_ms": t(1.0), "infer_batch_ms": t(2.0), "infer_b1_ms": t(4.0), "torch": "stand-in"}))
            """.write(to: script, atomically: true, encoding: .utf8)
        let command = try BenchTrainStepCommand.parse(["--net", "avmnist-image-max", "--threads", "1", "--batch", "2", "--warmup", "0",
                                                       "--iters", "1", "--rounds", "3", "--compare-torch", "--torch-script", script.path,
                                                       "--json"])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try command.report().utf8)) as? [String: Any])
        let rounds = try XCTUnwrap(object["rounds"] as? [[String: Any]])
        XCTAssertEqual(rounds.count, 3)
        let summary = try XCTUnwrap(object["summary"] as? [String: Any])
        for (key, torchMedian) in [("train_step_ms", 1.0), ("infer_batch_ms", 2.0), ("infer_b1_ms", 4.0)] {
            let hnasMedians = try rounds.map { try XCTUnwrap(($0["hnas"] as? [String: Any])?[key] as? [String: Double])["median"]! }
            for (layout, scale) in [("default", 1.0), ("channels_last", 2.0)] {
                let ratios = try rounds.map { try XCTUnwrap(($0["ratio_\(layout)"] as? [String: Double])?[key]) }
                for (ratio, hnas) in zip(ratios, hnasMedians) { XCTAssertEqual(ratio, hnas / (torchMedian * scale), accuracy: 1e-12) }
                let range = try XCTUnwrap((summary["ratio_\(layout)"] as? [String: [String: Double]])?[key])
                XCTAssertEqual(range["median"]!, ratios.sorted()[1], accuracy: 1e-12)
                XCTAssertEqual(range["min"], ratios.min())
                XCTAssertEqual(range["max"], ratios.max())
            }
            XCTAssertEqual(try XCTUnwrap((summary["hnas"] as? [String: Double])?[key]), hnasMedians.sorted()[1], accuracy: 1e-12)
        }
        let table = try BenchTrainStepCommand.parse(["--net", "avmnist-image-max", "--threads", "1", "--batch", "2", "--warmup", "0",
                                                     "--iters", "1", "--rounds", "2", "--compare-torch", "--torch-script", script.path]).report()
        XCTAssertTrue(table.contains("round 2 of 2") && table.contains("over 2 rounds") && table.contains("PyTorch stand-in"), table)
    }

    func testBadArgumentsAreNamedErrors() throws {
        XCTAssertThrowsError(try BenchTrainStepCommand.parse(["--net", "nope", "--batch", "1"]).report()) {
            XCTAssertTrue("\($0)".contains("--net") && "\($0)".contains("avmnist-image-max"), "\($0)")
        }
        XCTAssertThrowsError(try BenchTrainStepCommand.parse(["--iters", "0"]).report()) { XCTAssertTrue("\($0)".contains("--iters")) }
        XCTAssertThrowsError(try BenchTrainStepCommand.parse(["--rounds", "0"]).report()) {
            XCTAssertTrue("\($0)".contains("--rounds: must be between 1 and 1000, got 0"), "\($0)")
        }
        XCTAssertThrowsError(try BenchTrainStepCommand.parse(["--batch", "1", "--iters", "1", "--warmup", "0", "--threads", "1",
                                                              "--compare-torch", "--torch-script", "/nonexistent/ref.py"]).report()) {
            XCTAssertTrue("\($0)".contains("/nonexistent/ref.py"), "\($0)")
        }
    }
}

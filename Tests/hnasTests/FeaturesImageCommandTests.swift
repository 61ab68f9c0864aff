import Foundation
import XCTest

/// `hnas features image` on an MNIST digit of the embedded AV-MNIST sample.
final class FeaturesImageCommandTests: XCTestCase {
    private let digit = "Data/avmnist-sample/mnist/test/0/00904.png"

    func testAVMNISTPreprocessingGivesOneNormalisedChannel() throws {
        let run = try HNASProcess.run(["features", "image", digit, "--dataset", "avmnist"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.lines.count, 3, run.stdout)
        XCTAssertEqual(Array(run.lines.prefix(2)), ["file: \(digit)", "shape: [1, 28, 28]"])
        // An MNIST digit has black background and white strokes: Normalize(0.5, 0.5) maps them to -1 and 1.
        XCTAssertTrue(run.lines[2].hasPrefix("channel 0: min -1.000000 max 1.000000 mean "), run.lines[2])
    }

    func testJSONHoldsEveryValueAndAgreesWithTheStatistics() throws {
        let run = try HNASProcess.run(["features", "image", digit, "--dataset", "avmnist", "--json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["shape"] as? [Int], [1, 28, 28])
        let values = try XCTUnwrap(object["values"] as? [Double])
        XCTAssertEqual(values.count, 784)
        for value in values {   // (p / 255 − 0.5) / 0.5 for an 8-bit pixel p
            let pixel = (value * 0.5 + 0.5) * 255
            XCTAssertEqual(pixel, pixel.rounded(), accuracy: 1e-3)
            XCTAssertTrue((0...255).contains(pixel.rounded()), "\(value)")
        }
        let text = try HNASProcess.run(["features", "image", digit, "--dataset", "avmnist"])
        let mean = values.reduce(0, +) / Double(values.count)
        XCTAssertTrue(text.lines[2].contains(String(format: "mean %.6f", mean)) || text.lines[2].contains(String(format: "mean %.5f", mean)),
                      "\(text.lines[2]) vs mean \(mean)")
    }

    func testAnExplicitSizeResizesAndKeepsRGB() throws {
        let run = try HNASProcess.run(["features", "image", digit, "--size", "14"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.lines[1], "shape: [3, 14, 14]")
        XCTAssertEqual(run.lines.count, 5, run.stdout)
    }

    func testATruncatedFileIsNamed() throws {
        let bytes = try Data(contentsOf: HNASProcess.root.appendingPathComponent(digit))
        let broken = try HNASProcess.temporaryFolder(for: self).appendingPathComponent("truncated.png")
        try bytes.prefix(bytes.count / 2).write(to: broken)
        let run = try HNASProcess.run(["features", "image", broken.path, "--dataset", "avmnist"])
        assertOneErrorLine(run, containing: [broken.path])
    }

    func testAnUnknownDatasetIsRejected() throws {
        let run = try HNASProcess.run(["features", "image", digit, "--dataset", "cifar"])
        assertOneErrorLine(run, containing: ["cifar"])
    }
}

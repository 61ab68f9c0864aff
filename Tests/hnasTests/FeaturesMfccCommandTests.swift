import Foundation
import XCTest

/// `hnas features mfcc` on a spoken digit of the embedded AV-MNIST sample.
final class FeaturesMfccCommandTests: XCTestCase {
    private let sound = "Data/avmnist-sample/sound_450/test/0/0_anniela_0.wav"

    func testTextGivesTheShapeLineAndTheMatrix() throws {
        let run = try HNASProcess.run(["features", "mfcc", sound])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.lines.count, 21, run.stdout)
        XCTAssertTrue(run.lines[0].hasPrefix("\(sound): 1 channel(s) at "), run.lines[0])
        XCTAssertTrue(run.lines[0].hasSuffix(" -> MFCC 20 x 20 (rows = coefficients, columns = frames)"), run.lines[0])
        for row in run.lines.dropFirst() {
            XCTAssertEqual(row.split(separator: " ").compactMap { Double($0) }.count, 20, row)
        }
    }

    func testJSONParsesAndAgreesWithTheText() throws {
        let json = try HNASProcess.run(["features", "mfcc", sound, "--json"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["file"] as? String, sound)
        XCTAssertEqual(object["channels"] as? Int, 1)
        XCTAssertEqual(object["shape"] as? [Int], [20, 20])
        let matrix = try XCTUnwrap(object["mfcc"] as? [[Double]])
        XCTAssertEqual(matrix.map(\.count), Array(repeating: 20, count: 20))

        let text = try HNASProcess.run(["features", "mfcc", sound])
        let samples = try XCTUnwrap(object["samples"] as? Int)
        XCTAssertTrue(text.lines[0].contains(", \(samples) samples -> "), text.lines[0])
        for (line, row) in zip(text.lines.dropFirst(), matrix) {
            let printed = line.split(separator: " ").compactMap { Double($0) }
            for (a, b) in zip(printed, row) { XCTAssertEqual(a, b, accuracy: 6e-5) }
        }
    }

    func testFramesZeroKeepsTheClipsOwnFrameCount() throws {
        let run = try HNASProcess.run(["features", "mfcc", sound, "--frames", "0", "--n-mfcc", "13", "--json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let samples = try XCTUnwrap(object["samples"] as? Int)
        // Every 3rd sample kept, centred frames with hop 512: 1 + ⌊kept / 512⌋ frames.
        let kept = (samples + 2) / 3
        XCTAssertEqual(object["shape"] as? [Int], [13, 1 + kept / 512])
    }

    func testABrokenFileIsNamed() throws {
        let broken = try HNASProcess.temporaryFolder(for: self).appendingPathComponent("broken.wav")
        try Data("RIFF\u{0}\u{0}\u{0}\u{0}WAVEnot really a sound".utf8).write(to: broken)
        let run = try HNASProcess.run(["features", "mfcc", broken.path])
        assertOneErrorLine(run, containing: [broken.path])
    }

    func testFileAndBenchmarkAreExclusive() throws {
        let run = try HNASProcess.run(["features", "mfcc", sound, "--benchmark", "Data/avmnist-sample/sound_450/test/0"])
        assertOneErrorLine(run, containing: ["give either one sound file or --benchmark DIR"])
    }
}

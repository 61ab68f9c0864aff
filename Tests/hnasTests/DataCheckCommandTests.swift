import Foundation
import XCTest

/// `hnas data check` on the embedded AV-MNIST sample, and on a copy broken in three ways.
final class DataCheckCommandTests: XCTestCase {
    private let sample = "Data/avmnist-sample"

    func testTheEmbeddedSampleIsOK() throws {
        let run = try HNASProcess.run(["data", "check", sample, "--dataset", "avmnist"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stderr, "")
        XCTAssertEqual(run.lines, [
            "train: 1050 samples  per class: 105 105 105 105 105 105 105 105 105 105",
            "test: 450 samples  per class: 45 45 45 45 45 45 45 45 45 45",
            "image: [1, 28, 28] ×1500",
            "audio: [1, 20, 20] ×1500",
            "decoded 3000 inputs, checked 1500 labels",
            "ok",
        ])
    }

    /// A missing class folder, a truncated PNG and a truncated WAV: all three are listed, the rest is
    /// still decoded, and the command fails with one summary line.
    func testABrokenCopyListsEveryProblem() throws {
        let copy = try HNASProcess.temporaryFolder(for: self).appendingPathComponent("avmnist")
        try brokenCopy(at: copy)

        let run = try HNASProcess.run(["data", "check", copy.path, "--dataset", "avmnist"])
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.stderr, "error: data check failed '\(copy.path)': 3 problems (listed above)\n")
        XCTAssertTrue(run.lines.contains("test: 405 samples  per class: 45 45 45 45 45 45 45 0 45 45"), run.stdout)
        let problems = run.lines.filter { $0.hasPrefix("problem: ") }
        XCTAssertEqual(problems.count, 3, run.stdout)
        XCTAssertTrue(problems.contains { $0.contains("missing folder") && $0.contains("mnist/test/7") }, run.stdout)
        XCTAssertTrue(problems.contains { $0.contains("01977.png") && $0.contains("truncated") }, run.stdout)
        XCTAssertTrue(problems.contains { $0.contains("4_anniela_0.wav") }, run.stdout)
        XCTAssertFalse(run.lines.contains("ok"))
    }

    /// Given as a relative path, the dataset folder is named relative in every problem (layout,
    /// image and audio alike) and in the summary, as the user typed it.
    func testARelativeFolderIsNamedAsGiven() throws {
        let parent = try HNASProcess.temporaryFolder(for: self)
        try brokenCopy(at: parent.appendingPathComponent("avmnist"))

        let run = try HNASProcess.run(["data", "check", "avmnist", "--dataset", "avmnist"], in: parent)
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.stderr, "error: data check failed 'avmnist': 3 problems (listed above)\n")
        let problems = run.lines.filter { $0.hasPrefix("problem: ") }.sorted()
        XCTAssertEqual(problems.count, 3, run.stdout)
        XCTAssertTrue(problems.contains { $0.hasPrefix("problem: missing folder 'avmnist/mnist/test/7': ") }, run.stdout)
        XCTAssertTrue(problems.contains { $0.hasPrefix("problem: cannot decode PNG 'avmnist/mnist/train/1/01977.png': ") }, run.stdout)
        XCTAssertTrue(problems.contains { $0.hasPrefix("problem: cannot read audio 'avmnist/sound_450/test/4/4_anniela_0.wav': ") }, run.stdout)
        XCTAssertFalse(run.stdout.contains(parent.path), run.stdout)
    }

    /// A copy of the sample at `copy` with a missing class folder, a truncated PNG and a truncated WAV.
    private func brokenCopy(at copy: URL) throws {
        try FileManager.default.copyItem(at: HNASProcess.root.appendingPathComponent(sample), to: copy)
        try FileManager.default.removeItem(at: copy.appendingPathComponent("mnist/test/7"))
        let png = copy.appendingPathComponent("mnist/train/1/01977.png")
        try Data(contentsOf: png).prefix(60).write(to: png)
        let wav = copy.appendingPathComponent("sound_450/test/4/4_anniela_0.wav")
        try Data(contentsOf: wav).prefix(30).write(to: wav)
    }

    func testAFolderThatIsNoDatasetFails() throws {
        let empty = try HNASProcess.temporaryFolder(for: self)
        let run = try HNASProcess.run(["data", "check", empty.path, "--dataset", "avmnist"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.hasPrefix("error: data check failed '\(empty.path)': "), run.stderr)
        XCTAssertTrue(run.lines.contains { $0.hasPrefix("problem: ") }, run.stdout)
    }
}

import XCTest

/// How `hnas` fails on bad command lines: one `error: …` line on stderr, a non-zero status, no usage
/// dump and no stack trace.
final class ErrorOutputTests: XCTestCase {
    func testUnknownSubcommand() throws {
        let run = try HNASProcess.run(["frobnicate"])
        assertOneErrorLine(run, containing: ["frobnicate"])
    }

    func testUnknownFlag() throws {
        let run = try HNASProcess.run(["version", "--frobnicate"])
        assertOneErrorLine(run, containing: ["--frobnicate"])
    }

    func testMissingRequiredOption() throws {
        let run = try HNASProcess.run(["lut", "estimate", "--device", "tx2"])
        assertOneErrorLine(run, containing: ["--dataset"])
    }

    func testBadOptionValue() throws {
        let run = try HNASProcess.run(["data", "check", "Data/avmnist-sample", "--dataset", "cifar"])
        assertOneErrorLine(run, containing: ["cifar"])
    }

    func testAnHNASErrorFromACommand() throws {
        let run = try HNASProcess.run(["features", "image", "no/such/file.png"])
        assertOneErrorLine(run, containing: ["error: cannot read image 'no/such/file.png': No such file or directory"])
        XCTAssertFalse(run.stderr.contains("Fatal error"), run.stderr)
    }
}

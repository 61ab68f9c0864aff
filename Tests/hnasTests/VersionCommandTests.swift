import HNASKit
import XCTest

/// `hnas version [--verbose]`.
final class VersionCommandTests: XCTestCase {
    func testVersionPrintsOneLine() throws {
        let run = try HNASProcess.run(["version"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "hnas \(BuildInfo.version)\n")
    }

    func testVerboseAddsTheSIMDKernelAndOpenBLASLines() throws {
        let run = try HNASProcess.run(["version", "--verbose"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.lines.count, 6, run.stdout)
        // The thread count is the child's (OpenBLAS reads it at start-up), not this process's.
        XCTAssertEqual(run.lines.enumerated().filter { $0.offset != 4 }.map(\.element), [
            "hnas \(BuildInfo.version)",
            "simd: \(BuildInfo.simdLevel)",
            "kernels: \(BuildInfo.kernelPath)",
            "openblas core: \(BuildInfo.blasCore)",
            "openblas config: \(BuildInfo.blasConfig)",
        ])
        XCTAssertFalse(BuildInfo.simdLevel.isEmpty)
        XCTAssertTrue(run.lines[4].hasPrefix("openblas threads: "), run.stdout)
        XCTAssertGreaterThanOrEqual(Int(run.lines[4].dropFirst("openblas threads: ".count)) ?? 0, 1, run.stdout)
    }

    func testTheRootVersionFlagAgrees() throws {
        let run = try HNASProcess.run(["--version"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "\(BuildInfo.version)\n")
    }
}

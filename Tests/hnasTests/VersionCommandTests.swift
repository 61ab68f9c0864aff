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
        // Where OpenBLAS fell back to its SSE3 kernels, the child restarted itself with better ones.
        var core = BuildInfo.blasCore + BLASCore.origin, config = BuildInfo.blasConfig
        if let better = BLASCore.replacement {
            core = "\(better) (OPENBLAS_CORETYPE=\(better), set by hnas: OpenBLAS took this CPU for \(BuildInfo.blasCore))"
            config = config.replacingOccurrences(of: " \(BuildInfo.blasCore) ", with: " \(better) ")
        }
        // The thread count is the child's (OpenBLAS reads it at start-up), not this process's.
        XCTAssertEqual(run.lines.enumerated().filter { $0.offset != 4 }.map(\.element), [
            "hnas \(BuildInfo.version)",
            "simd: \(BuildInfo.simdLevel)",
            "kernels: \(BuildInfo.kernelPath)",
            "openblas core: \(core)",
            "openblas config: \(config)",
        ])
        XCTAssertFalse(BuildInfo.simdLevel.isEmpty)
        XCTAssertTrue(run.lines[4].hasPrefix("openblas threads: "), run.stdout)
        XCTAssertGreaterThanOrEqual(Int(run.lines[4].dropFirst("openblas threads: ".count)) ?? 0, 1, run.stdout)
    }

    func testACoreForcedByTheUserIsKeptAndNamed() throws {
        #if arch(x86_64)
        let run = try HNASProcess.run(["version", "--verbose"], environment: [BLASCore.overrideVariable: "Haswell"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.lines.contains("openblas core: Haswell (OPENBLAS_CORETYPE=Haswell)"), run.stdout)
        #endif
    }

    func testTheRootVersionFlagAgrees() throws {
        let run = try HNASProcess.run(["--version"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "\(BuildInfo.version)\n")
    }
}

import Foundation
import HNASEngine
import XCTest

/// `AtomicFolder`: the destination appears complete or not at all; a failed fill leaves nothing; staging folders of
/// killed processes are removed when the next write of the same destination starts, those of running ones are not.
final class AtomicFolderTests: XCTestCase {
    func testTheFolderAppearsWholeAndAFailedFillLeavesNothing() throws {
        let dir = try scratchFolder()
        let out = dir.appendingPathComponent("model")
        try AtomicFolder.write(out, "cannot write model") { staging in
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "not visible while it is filled")
            try Data([1]).write(to: staging.appendingPathComponent("a.bin"))
        }
        XCTAssertEqual(try names(dir), ["model"])
        XCTAssertEqual(try names(out), ["a.bin"])

        let failed = dir.appendingPathComponent("failed")
        XCTAssertThrowsError(try AtomicFolder.write(failed, "cannot write model") { staging in
            try Data([1]).write(to: staging.appendingPathComponent("a.bin"))
            throw HNASError.file("x", "cannot fill", why: "test")
        }) { XCTAssertEqual("\($0)", "cannot fill 'x': test") }
        // An existing destination is not replaced; the error names it.
        XCTAssertThrowsError(try AtomicFolder.write(out, "cannot write model") { _ in }) {
            XCTAssertTrue("\($0)".hasPrefix("cannot write model '\(out.path)': "), "\($0)")
        }
        XCTAssertEqual(try names(dir), ["model"])
        XCTAssertEqual(try names(out), ["a.bin"])
    }

    func testStagingFoldersOfKilledProcessesAreRemovedByTheNextWrite() throws {
        let dir = try scratchFolder()
        // A process id that is not running: a child that has exited and been reaped.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let dead = dir.appendingPathComponent(".model" + AtomicFolder.partialMarker + "\(child.processIdentifier)")
        let running = dir.appendingPathComponent(".model" + AtomicFolder.partialMarker + "\(getppid())")
        let other = dir.appendingPathComponent(".other" + AtomicFolder.partialMarker + "\(child.processIdentifier)")
        for staging in [dead, running, other] {
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
            try Data([0]).write(to: staging.appendingPathComponent("half.bin"))
        }
        try AtomicFolder.write(dir.appendingPathComponent("model"), "cannot write model") { _ in }
        XCTAssertEqual(try names(dir), [".model" + AtomicFolder.partialMarker + "\(getppid())",
                                        ".other" + AtomicFolder.partialMarker + "\(child.processIdentifier)", "model"])
    }
}

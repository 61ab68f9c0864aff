import Foundation
import HNASEngine
import XCTest

/// `AtomicFile`: replaces only regular files, writes through symbolic links, keeps permissions, leaves no
/// temporary file behind; and `FileContents` refuses special files up front.
final class AtomicFileTests: XCTestCase {
    func testReplacesARegularFileKeepingItsPermissions() throws {
        let dir = try scratchFolder()
        let file = dir.appendingPathComponent("a.bin")
        try Data([1]).write(to: file)
        chmod(file.path, 0o600)
        try AtomicFile.write(Data([2, 3]), to: file)
        XCTAssertEqual(try Data(contentsOf: file), Data([2, 3]))
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int, 0o600)
        XCTAssertEqual(try names(dir), ["a.bin"])
    }

    func testRefusesFoldersFIFOsAndDevicesWritingNothing() throws {
        let dir = try scratchFolder()
        let fifo = dir.appendingPathComponent("pipe")
        XCTAssertEqual(mkfifo(fifo.path, 0o644), 0)
        XCTAssertThrowsError(try AtomicFile.write(Data([1]), to: fifo, "cannot write", path: "pipe")) {
            XCTAssertEqual("\($0)", "cannot write 'pipe': it is a FIFO (named pipe); hnas replaces only regular files")
        }
        XCTAssertThrowsError(try AtomicFile.write(Data([1]), to: dir, path: "dir")) {
            XCTAssertEqual("\($0)", "cannot write 'dir': it is a folder; hnas replaces only regular files")
        }
        let device = dir.appendingPathComponent("null")
        try FileManager.default.createSymbolicLink(atPath: device.path, withDestinationPath: "/dev/null")
        XCTAssertThrowsError(try AtomicFile.write(Data([1]), to: device, path: "null")) {
            XCTAssertEqual("\($0)", "cannot write 'null': it is a symbolic link to a character device; hnas replaces only regular files")
        }
        XCTAssertEqual(try names(dir), ["null", "pipe"])
    }

    func testCheckDestinationRefusesWhatWriteRefusesAndWritesNothing() throws {
        let dir = try scratchFolder()
        XCTAssertEqual(mkfifo(dir.appendingPathComponent("pipe").path, 0o644), 0)
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("link").path, withDestinationPath: "/dev/null")
        for (name, kind) in [("pipe", "a FIFO"), ("link", "a symbolic link to a character device")] {
            XCTAssertThrowsError(try AtomicFile.checkDestination(dir.appendingPathComponent(name), "cannot plot", path: name)) {
                XCTAssertTrue("\($0)".hasPrefix("cannot plot '\(name)': it is \(kind)"), "\($0)")
            }
        }
        XCTAssertThrowsError(try AtomicFile.checkDestination(URL(fileURLWithPath: "/dev/null"))) {
            XCTAssertTrue("\($0)".contains("it is a character device"), "\($0)")
        }
        try Data([1]).write(to: dir.appendingPathComponent("file"))
        try AtomicFile.checkDestination(dir.appendingPathComponent("file"))
        try AtomicFile.checkDestination(dir.appendingPathComponent("new"))
        XCTAssertEqual(try names(dir), ["file", "link", "pipe"])
    }

    func testWritesThroughASymbolicLink() throws {
        let dir = try scratchFolder()
        let target = dir.appendingPathComponent("target.npy"), link = dir.appendingPathComponent("link.npy")
        try Data([1]).write(to: target)
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "target.npy")
        try AtomicFile.write(Data([7]), to: link)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link.path), "target.npy")
        XCTAssertEqual(try Data(contentsOf: target), Data([7]))
        // A dangling link creates its target.
        try FileManager.default.removeItem(at: target)
        try AtomicFile.write(Data([8]), to: link)
        XCTAssertEqual(try Data(contentsOf: target), Data([8]))
        XCTAssertEqual(try names(dir), ["link.npy", "target.npy"])
    }

    func testStaleTemporaryFilesAreRemovedOrOverwritten() throws {
        let dir = try scratchFolder()
        let sub = dir.appendingPathComponent("best/1")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        try Data([9]).write(to: dir.appendingPathComponent(".log.txt.hnas-tmp"))
        try Data([9]).write(to: sub.appendingPathComponent(".arch.json.hnas-tmp"))
        try Data([9]).write(to: sub.appendingPathComponent("notes.txt"))
        // The next write of the same file reuses (replaces) its stale temporary.
        try AtomicFile.write(Data([1]), to: dir.appendingPathComponent("log.txt"))
        XCTAssertEqual(try names(dir), ["best", "log.txt"])
        AtomicFile.removeStaleTemporaries(in: dir, recursive: true)
        XCTAssertEqual(try names(sub), ["notes.txt"])
    }

    func testAFailedWriteLeavesNoTemporaryFile() throws {
        let dir = try scratchFolder()
        let readOnly = dir.appendingPathComponent("ro")
        try FileManager.default.createDirectory(at: readOnly, withIntermediateDirectories: true)
        // /dev/full accepts the open and fails every write with ENOSPC; write to a file in a missing folder instead
        // when running unprivileged tests elsewhere.
        XCTAssertThrowsError(try AtomicFile.write(Data([1]), to: readOnly.appendingPathComponent("missing/x.bin"), path: "x.bin")) {
            XCTAssertEqual("\($0)", "cannot write 'x.bin': No such file or directory")
        }
        XCTAssertEqual(try names(readOnly), [])
    }

    func testReadsRefuseSpecialFilesWithoutBlocking() throws {
        let dir = try scratchFolder()
        let fifo = dir.appendingPathComponent("in.wav")
        XCTAssertEqual(mkfifo(fifo.path, 0o644), 0)
        XCTAssertThrowsError(try FileContents.read(fifo, "cannot read audio", path: "in.wav")) {
            XCTAssertEqual("\($0)", "cannot read audio 'in.wav': it is a FIFO (named pipe), not a regular file")
        }
        XCTAssertThrowsError(try FileContents.requireRegularFile(URL(fileURLWithPath: "/dev/null"), "cannot read audio")) {
            XCTAssertEqual("\($0)", "cannot read audio '/dev/null': it is a character device, not a regular file")
        }
    }
}

import Foundation
import HNASKit
import HNASSearch
import XCTest

/// Writes killed half-way, with the real binary: `hnas infer --output y.npy` replacing an older `y.npy` in a run
/// directory dies while it writes through `AtomicFile` — in the middle of the data (the kernel's SIGXFSZ at an
/// `ulimit -f` limit, a signal hnas does not handle, so none of its cleanup runs, as with SIGKILL) and, with strace,
/// by SIGKILL on entering the rename. Each time the old file is intact and the temporary file is all that is left;
/// the next start clears it: opening the run directory (what `search --resume` does) or the next write of the file.
final class AtomicWriteKillTests: XCTestCase {
    private static let samples = 256
    private static let leftover = ".y.npy" + AtomicFile.temporaryMarker

    /// A run directory holding an input batch `x.npy` and an older `y.npy`; returns it and the old file's bytes.
    private func runDirectory() throws -> (folder: URL, old: Data) {
        let folder = try HNASProcess.temporaryFolder(for: self).appendingPathComponent("run")
        try SearchRunDirectory(root: folder).claim(resumed: false)
        try NPYFile(shape: [Self.samples, 1, 20, 20], elements: .float32(Array(repeating: 0.5, count: Self.samples * 400)))
            .write(to: folder.appendingPathComponent("x.npy"))
        let old = folder.appendingPathComponent("y.npy")
        try NPYFile(shape: [1, 10], elements: .float32(Array(repeating: 7, count: 10))).write(to: old)
        return (folder, try Data(contentsOf: old))
    }

    /// `hnas infer` on the corpus's AV-MNIST audio subnet: logits [samples, 10] into `folder/y.npy` (10 368 bytes).
    private func infer(_ folder: URL) -> [String] {
        ["infer", "--dataset", "avmnist", "--modality", "audio",
         "--weights", HNASProcess.root.appendingPathComponent("Tests/HNASKitTests/Fixtures/ofa/avmnist.safetensors").path,
         "--arch", HNASProcess.root.appendingPathComponent("Tests/hnasTests/Fixtures/bad-inputs/arch/good.json").path,
         "--input", folder.appendingPathComponent("x.npy").path, "--output", folder.appendingPathComponent("y.npy").path, "--threads", "1"]
    }

    /// The temporary files in `folder`.
    private func temporaries(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(AtomicFile.temporaryMarker) }.sorted()
    }

    /// Runs `infer` under a file-size limit of 8 blocks (4 KiB with dash's 512-byte blocks, 8 KiB with bash's): the
    /// write of `y.npy` passes it part-way and the kernel kills hnas there.
    private func inferKilledMidWrite(_ folder: URL) throws -> HNASRun {
        try HNASProcess.run(launcher: ["/bin/sh", "-c", "ulimit -c 0; ulimit -f 8; exec \"$0\" \"$@\""], infer(folder))
    }

    func testAWriteKilledMidWayLeavesTheOldFileAndTheNextStartClearsItsTemporaryFile() throws {
        let (folder, old) = try runDirectory()
        let y = folder.appendingPathComponent("y.npy"), temporary = folder.appendingPathComponent(Self.leftover)

        let killed = try inferKilledMidWrite(folder)
        XCTAssertEqual(killed.status, SIGXFSZ, "killed by the file-size limit: \(killed.stderr)")
        XCTAssertEqual(killed.stdout, "")
        XCTAssertEqual(try Data(contentsOf: y), old, "the old file is intact")
        XCTAssertEqual(try temporaries(folder), [Self.leftover])
        let partial = try Data(contentsOf: temporary)
        XCTAssertGreaterThan(partial.count, 0, "killed after the write began")
        XCTAssertThrowsError(try NPYFile(contentsOf: temporary), "killed before the write ended (\(partial.count) bytes)")

        // Next start, the run directory: opening it removes the temporary file and nothing else.
        try SearchRunDirectory(root: folder).claim(resumed: true)
        XCTAssertEqual(try temporaries(folder), [])
        XCTAssertEqual(try Data(contentsOf: y), old)

        // Next start, the same write: the stale temporary file of another kill is replaced, then renamed away.
        XCTAssertEqual(try inferKilledMidWrite(folder).status, SIGXFSZ)
        XCTAssertEqual(try temporaries(folder), [Self.leftover])
        let run = try HNASProcess.run(infer(folder), timeout: 60)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try NPYFile(contentsOf: y).shape, [Self.samples, 10])
        XCTAssertEqual(try temporaries(folder), [])
    }

    func testSIGKILLOnTheRenameLeavesTheOldFileAndACompleteTemporaryFile() throws {
        guard let strace = ["/usr/bin/strace", "/bin/strace"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw XCTSkip("strace is not installed")
        }
        let (folder, old) = try runDirectory()
        let killed = try HNASProcess.run(launcher: [strace, "-f", "-qq", "-o", "/dev/null", "-e", "trace=/^rename",
                                                    "-e", "inject=/^rename:signal=KILL", "--"], infer(folder))
        if killed.status != SIGKILL, killed.stderr.contains("ptrace") || killed.stderr.contains("strace:") {
            throw XCTSkip("strace cannot trace here: \(killed.stderr)")
        }
        XCTAssertEqual(killed.status, SIGKILL, killed.stderr)
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("y.npy")), old, "the old file is intact")
        XCTAssertEqual(try temporaries(folder), [Self.leftover])
        XCTAssertEqual(try NPYFile(contentsOf: folder.appendingPathComponent(Self.leftover)).shape, [Self.samples, 10],
                       "killed with the new data complete, before the rename")
        try SearchRunDirectory(root: folder).claim(resumed: true)
        XCTAssertEqual(try temporaries(folder), [])
    }
}

import Foundation
import XCTest
import HNASKit

/// `hnas train-supernet --distributed mpi` under `mpirun` (OpenMPI, installed by Scripts/install-deps.sh):
/// two processes train what one trains, resume from their checkpoint, and refuse to start without
/// mpirun or with ranks that disagree.
final class DistributedTrainingTests: XCTestCase {
    /// 16 audio samples per split, batch 8 (two shards of 4), one thread per process.
    private func arguments(out: URL, epochs: Int, seed: Int = 0) -> [String] {
        ["train-supernet", "--modality", "audio", "--samples", "16", "--batch-size", "8", "--epochs", "\(epochs)",
         "--threads", "1", "--seed", "\(seed)", "--out", out.path]
    }

    /// Largest |a − b| / max(1, |b|) over the tensors of two weight files (which must have the same names).
    private func largestDifference(_ a: URL, _ b: URL) throws -> Float {
        let (x, y) = (try SafeTensors.read(from: a), try SafeTensors.read(from: b))
        XCTAssertEqual(Set(x.tensors.keys), Set(y.tensors.keys))
        return x.tensors.keys.map { name -> Float in
            guard case .float32(let p) = x.tensors[name]!, case .float32(let q) = y.tensors[name]! else { return 0 }
            return zip(p.scalars, q.scalars).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
        }.max() ?? 0
    }

    /// Two processes, interrupted after epoch 1 and resumed, end within 1e-4 (relative to max(1, |w|)) of
    /// one process's two epochs: the sums are only added in another order (see the README).
    func testTwoProcessesResumeAndTrainWhatOneProcessTrains() throws {
        let folder = try HNASProcess.temporaryFolder(for: self)
        let single = folder.appendingPathComponent("single.safetensors"), pair = folder.appendingPathComponent("pair.safetensors")
        let one = try HNASProcess.run(arguments(out: single, epochs: 2))
        XCTAssertEqual(one.status, 0, one.stderr)

        let first = try HNASProcess.runUnderMPI(processes: 2, arguments(out: pair, epochs: 1) + ["--distributed", "mpi"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(first.lines.count, 1, "rank 0 alone prints the result: \(first.stdout)")
        XCTAssertTrue(first.stderr.contains("× 2 processes"), first.stderr)
        let resumed = try HNASProcess.runUnderMPI(processes: 2, arguments(out: pair, epochs: 2) + ["--resume", "--distributed", "mpi"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("resuming after epoch 1 of 2"), resumed.stderr)

        XCTAssertLessThan(try largestDifference(pair, single), 1e-4)
        let checkpoint = { (url: URL) in url.deletingPathExtension().appendingPathExtension("checkpoint.safetensors") }
        XCTAssertLessThan(try largestDifference(checkpoint(pair), checkpoint(single)), 1e-4)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(),
                       ["pair.checkpoint.safetensors", "pair.safetensors", "single.checkpoint.safetensors", "single.safetensors"],
                       "rank 1 writes nothing")
    }

    func testDistributedWithoutMpirunIsAnError() throws {
        let folder = try HNASProcess.temporaryFolder(for: self)
        let run = try HNASProcess.run(arguments(out: folder.appendingPathComponent("w.safetensors"), epochs: 1) + ["--distributed", "mpi"])
        assertOneErrorLine(run, containing: ["--distributed", "mpirun"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [])
    }

    func testRanksStartedWithDifferentSettingsAreRefusedNamingTheRank() throws {
        let folder = try HNASProcess.temporaryFolder(for: self)
        let out = folder.appendingPathComponent("w.safetensors")
        let run = try HNASProcess.runUnderMPI(processes: 2, [], ranks: [arguments(out: out, epochs: 1, seed: 0) + ["--distributed", "mpi"],
                                                                   arguments(out: out, epochs: 1, seed: 1) + ["--distributed", "mpi"]])
        XCTAssertNotEqual(run.status, 0)
        XCTAssertEqual(run.stderr.components(separatedBy: "error: ").count - 1, 1, "rank 0 reports it once: \(run.stderr)")
        XCTAssertTrue(run.stderr.contains("error: invalid value for --distributed: rank 1 has different training options"), run.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [])
    }
}

import Foundation
import XCTest

/// `hnas search --distributed mpi` under `mpirun -np 2`: a run whose rank 1 is killed in generation 2 and that is
/// resumed equals the uninterrupted single-process run file for file (log.txt aside: it holds timings), and ranks
/// started with other settings are refused naming the rank.
final class DistributedSearchTests: XCTestCase {
    /// A tiny AV-MNIST search: 24 samples per split, 2 generations of 2, one fusion epoch on a narrow network.
    private func arguments(out: URL, weights: URL, config: URL, seed: Int = 42) -> [String] {
        ["search", "--dataset", "avmnist", "--data", "Data/avmnist-sample", "--samples", "24", "--config", config.path,
         "--weights-dir", weights.path, "--generations", "2", "--population", "2", "--fusion-epochs", "1",
         "--supernet-epochs", "1", "--threads", "1", "--seed", "\(seed)", "--out", out.path]
    }

    /// Every file under `root` with its contents, by relative path.
    private func files(_ root: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])!
        for case let url as URL in enumerator where try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true {
            result[String(url.path.dropFirst(root.path.count + 1))] = try Data(contentsOf: url)
        }
        return result
    }

    /// Starts `mpirun -np 2 hnas arguments…`, waits for `file` to appear, then kills rank 1 (SIGKILL) and waits for the job.
    /// - Returns: mpirun's exit status and stderr.
    private func runKillingRank1(_ arguments: [String], when file: URL) throws -> (Int32, String) {
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-mpi-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errors) }
        let mpirun = Process()
        mpirun.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        mpirun.arguments = ["mpirun", "--allow-run-as-root", "--oversubscribe", "-np", "2", try HNASProcess.executable().path] + arguments
        mpirun.currentDirectoryURL = HNASProcess.root
        mpirun.standardOutput = FileHandle.nullDevice
        mpirun.standardError = try FileHandle(forWritingTo: errors)
        try mpirun.run()
        while mpirun.isRunning, !FileManager.default.fileExists(atPath: file.path) { usleep(50_000) }
        // mpirun's children are the ranks; rank 1 is the one whose environment says so.
        let children = (try? String(contentsOfFile: "/proc/\(mpirun.processIdentifier)/task/\(mpirun.processIdentifier)/children", encoding: .utf8)) ?? ""
        for pid in children.split(separator: " ").compactMap({ Int32($0) }) {
            let environment = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/environ"))) ?? Data()
            if String(decoding: environment, as: UTF8.self).split(separator: "\0").contains("OMPI_COMM_WORLD_RANK=1") { kill(pid, SIGKILL) }
        }
        mpirun.waitUntilExit()
        return (mpirun.terminationStatus, String(decoding: try Data(contentsOf: errors), as: UTF8.self))
    }

    func testTwoProcessesKilledAndResumedWriteTheSingleProcessRunFileForFile() throws {
        let folder = try HNASProcess.temporaryFolder(for: self)
        let config = folder.appendingPathComponent("c.yml"), weights = folder.appendingPathComponent("weights")
        try "C: 8\nL: 4\npost_bn_calibration_batch_num: 1\n".write(to: config, atomically: true, encoding: .utf8)
        let (one, two) = (folder.appendingPathComponent("one"), folder.appendingPathComponent("two"))
        let single = try HNASProcess.run(arguments(out: one, weights: weights, config: config))
        XCTAssertEqual(single.status, 0, single.stderr)
        let (status, stderr) = try runKillingRank1(arguments(out: two, weights: weights, config: config) + ["--distributed", "mpi"],
                                                   when: two.appendingPathComponent("generations/000.json"))
        if status != 0 {  // killed in generation 2 (unless it had already finished)
            XCTAssertTrue(stderr.contains("process rank 1"), "mpirun names the dead rank: \(stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: two.appendingPathComponent("generations/001.json").path))
        }
        let pair = try HNASProcess.runUnderMPI(processes: 2, ["search", "--out", two.path, "--resume", "--threads", "1", "--distributed", "mpi"])
        XCTAssertEqual(pair.status, 0, pair.stderr)

        var (a, b) = (try files(one), try files(two))
        XCTAssertNotNil(a.removeValue(forKey: "log.txt"))
        XCTAssertNotNil(b.removeValue(forKey: "log.txt"))
        XCTAssertTrue(a.keys.contains("generations/001.json") && a.keys.contains("pareto.csv"), "\(a.keys.sorted())")
        XCTAssertEqual(a.keys.sorted(), b.keys.sorted())
        for (path, data) in a { XCTAssertEqual(data, b[path], "\(path) differs") }
        XCTAssertEqual(single.stdout.replacingOccurrences(of: one.path, with: "").split(separator: "\n").filter { !$0.hasPrefix("time:") },
                       pair.stdout.replacingOccurrences(of: two.path, with: "").split(separator: "\n").filter { !$0.hasPrefix("time:") },
                       "rank 0 alone prints the same summary")
    }

    func testRanksStartedWithOtherSettingsAreRefusedNamingTheRank() throws {
        let folder = try HNASProcess.temporaryFolder(for: self)
        let config = folder.appendingPathComponent("c.yml"), weights = folder.appendingPathComponent("weights")
        try "C: 8\nL: 4\npost_bn_calibration_batch_num: 1\n".write(to: config, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("run")
        let ranks = [42, 7].map { arguments(out: out, weights: weights, config: config, seed: $0) + ["--distributed", "mpi"] }
        let run = try HNASProcess.runUnderMPI(processes: 2, [], ranks: ranks)
        XCTAssertNotEqual(run.status, 0)
        XCTAssertTrue(run.stderr.contains("error: invalid value for --distributed: rank 1 has different search settings"), run.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: weights.path), "stopped before training any weights")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("generations").path), "no generation written")
    }
}

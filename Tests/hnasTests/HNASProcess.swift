import Foundation
import XCTest

/// What one run of the `hnas` binary produced.
struct HNASRun {
    let status: Int32
    let stdout: String
    let stderr: String

    /// The lines of stdout (no trailing empty line).
    var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLastIfEmpty() }

    /// The lines of stderr (no trailing empty line).
    var errorLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLastIfEmpty() }
}

private extension Array where Element == String {
    func dropLastIfEmpty() -> [String] { last == "" ? Array(dropLast()) : self }
}

/// Runs the built `hnas` executable as a subprocess, from the package root, so the tests see exactly
/// what a user sees: stdout, stderr and the exit status (argument parsing and `main`'s error handling
/// included, which calling a command's `run()` in-process would skip).
enum HNASProcess {
    /// The package root (relative paths such as `Data/avmnist-sample` resolve against it).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The `hnas` binary next to the test bundle.
    /// - Throws: an error naming the places searched when it was not built (`swift build --product hnas`).
    static func executable() throws -> URL {
        final class Marker {}
        let bundle = Bundle(for: Marker.self).bundleURL
        let candidates = [bundle.deletingLastPathComponent().appendingPathComponent("hnas"),
                          bundle.appendingPathComponent("hnas")]
        for url in candidates {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
               FileManager.default.isExecutableFile(atPath: url.path) {
                return url
            }
        }
        struct Missing: Error, CustomStringConvertible {
            let description: String
        }
        throw Missing(description: "no hnas executable at \(candidates.map(\.path)); build it with `swift build --product hnas`")
    }

    /// Runs `hnas arguments…` in `directory` (the package root by default), feeding `stdin` (empty by default), with
    /// `environment` set over the test's own. With `timeout`, a run still going after that many seconds is killed
    /// (SIGKILL), so a hang fails the test (its status is then the signal's) instead of blocking the suite.
    static func run(_ arguments: [String], stdin: Data = Data(), in directory: URL = root, timeout: TimeInterval? = nil,
                    environment: [String: String] = [:]) throws -> HNASRun {
        try run(executable: try executable(), arguments, stdin: stdin, in: directory, timeout: timeout, environment: environment)
    }

    /// Runs `launcher… hnas arguments…`: `launcher` is a program and its arguments that end by running the program
    /// that follows them, such as `["/bin/sh", "-c", "ulimit -f 8; exec \"$0\" \"$@\""]` or `["strace", …, "--"]`.
    /// Killed after `timeout` seconds.
    static func run(launcher: [String], _ arguments: [String], in directory: URL = root, timeout: TimeInterval = 60) throws -> HNASRun {
        try run(executable: URL(fileURLWithPath: launcher[0]), Array(launcher.dropFirst()) + [try executable().path] + arguments,
                in: directory, timeout: timeout)
    }

    /// Runs `mpirun -np <processes> hnas arguments…` (as root too, more processes than cores allowed), or
    /// with `ranks`, one process per argument list (mpirun's `-np 1 hnas A : -np 1 hnas B`); killed after `timeout` s.
    static func runUnderMPI(processes: Int, _ arguments: [String], ranks: [[String]]? = nil, in directory: URL = root,
                            timeout: TimeInterval = 600) throws -> HNASRun {
        let hnas = try executable().path
        let launch = (ranks ?? Array(repeating: arguments, count: 1)).enumerated().flatMap { i, args in
            (i > 0 ? [":"] : []) + ["-np", "\(ranks == nil ? processes : 1)", hnas] + args
        }
        return try run(executable: URL(fileURLWithPath: "/usr/bin/env"), ["mpirun", "--allow-run-as-root", "--oversubscribe"] + launch,
                       in: directory, timeout: timeout)
    }

    /// Runs `executable arguments…` in `directory`, feeding `stdin`, killed after `timeout` seconds if given.
    private static func run(executable: URL, _ arguments: [String], stdin: Data = Data(), in directory: URL,
                            timeout: TimeInterval?, environment: [String: String] = [:]) throws -> HNASRun {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = scratch.appendingPathComponent("stdin"), output = scratch.appendingPathComponent("stdout"),
            errors = scratch.appendingPathComponent("stderr")
        try stdin.write(to: input)
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        // Files, not pipes: a large output cannot fill a pipe buffer and block the child.
        process.standardInput = try FileHandle(forReadingFrom: input)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        if let timeout {
            let pid = process.processIdentifier
            let deadline = DispatchWorkItem { if process.isRunning { kill(pid, SIGKILL) } }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: deadline)
            process.waitUntilExit()
            deadline.cancel()
        } else {
            process.waitUntilExit()
        }
        return HNASRun(status: process.terminationStatus,
                       stdout: String(decoding: try Data(contentsOf: output), as: UTF8.self),
                       stderr: String(decoding: try Data(contentsOf: errors), as: UTF8.self))
    }

    /// A fresh temporary folder, removed when `test` ends.
    static func temporaryFolder(for test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}

/// Asserts that `run` failed the way `main` reports failures: a non-zero status, nothing on stdout
/// (unless `allowingOutput`), and exactly one stderr line, starting `error: ` and containing every
/// one of `fragments` — no stack trace, no usage dump.
func assertOneErrorLine(_ run: HNASRun, containing fragments: [String], allowingOutput: Bool = false,
                        file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertNotEqual(run.status, 0, "exit status", file: file, line: line)
    if !allowingOutput {
        XCTAssertEqual(run.stdout, "", "stdout", file: file, line: line)
    }
    XCTAssertEqual(run.errorLines.count, 1, "stderr: \(run.stderr)", file: file, line: line)
    XCTAssertTrue(run.stderr.hasPrefix("error: "), "stderr: \(run.stderr)", file: file, line: line)
    for fragment in fragments {
        XCTAssertTrue(run.stderr.contains(fragment), "'\(fragment)' missing from stderr: \(run.stderr)", file: file, line: line)
    }
}

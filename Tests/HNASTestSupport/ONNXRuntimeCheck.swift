import Foundation
import XCTest

/// Runs `Scripts/check_onnx.py` (onnx.checker + ONNX Runtime against hnas's own outputs) from tests.
///
/// Where Python cannot import onnx/onnxruntime/numpy the check is skipped on a developer machine,
/// but fails under CI (`CI=true`, where `.ci/run` installs them), so a broken install cannot pass silently.
public enum ONNXRuntimeCheck {
    /// The package root.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Whether `python3` imports onnx, onnxruntime and numpy.
    public static let isAvailable: Bool = (try? run(["python3", "-c", "import onnx, onnxruntime, numpy"]).status) == 0

    /// Returns when ONNX Runtime is available; else throws `XCTSkip`, or under CI fails the test.
    public static func require(file: StaticString = #filePath, line: UInt = #line) throws {
        guard !isAvailable else { return }
        let message = "python3 cannot import onnx, onnxruntime and numpy (pip install onnx onnxruntime numpy)"
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            XCTFail(message + " — required under CI", file: file, line: line)
            throw XCTSkip("failed: " + message)
        }
        throw XCTSkip(message)
    }

    /// Runs the check script once on every `(model, reference data folder)` pair; fails the test when it
    /// reports a mismatch. Returns its output (a header line per file, one line per compared output).
    @discardableResult
    public static func check(_ pairs: [(model: URL, data: URL)], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try report(pairs, file: file, line: line)
        XCTAssertEqual(result.status, 0, "check_onnx.py failed:\n\(result.output)", file: file, line: line)
        return result.output
    }

    /// The check script's exit status and output on the pairs, whatever they are.
    public static func report(_ pairs: [(model: URL, data: URL)], file: StaticString = #filePath,
                              line: UInt = #line) throws -> (status: Int32, output: String) {
        try require(file: file, line: line)
        return try run(["python3", root.appendingPathComponent("Scripts/check_onnx.py").path] + pairs.flatMap { [$0.model.path, $0.data.path] })
    }

    /// Runs a program (found on PATH) and returns its status and combined stdout/stderr.
    private static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("onnx-check-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, String(decoding: try Data(contentsOf: log), as: UTF8.self))
    }
}

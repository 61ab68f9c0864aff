import Foundation
import HNASKit

/// Runs a Python reference script (PyTorch timings for `hnas bench …`) and reads the one JSON
/// object it prints as its last line of standard output.
enum PythonReference {
    /// Runs `python3 script arguments…`, feeding `input` on standard input.
    /// - Throws: `HNASError` naming the script when it is missing, fails, or prints no JSON object.
    static func run(script: String, arguments: [String], input: Data = Data()) throws -> [String: Any] {
        guard FileManager.default.fileExists(atPath: script) else {
            throw HNASError.file(script, "cannot run the PyTorch reference", why: "no such file")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script] + arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        do { try process.run() } catch {
            throw HNASError.file(script, "cannot run the PyTorch reference", why: error.localizedDescription)
        }
        stdin.fileHandleForWriting.write(input)
        try? stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errors, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
            throw HNASError.file(script, "the PyTorch reference failed", why: "exit status \(process.terminationStatus): \(message)")
        }
        let line = String(decoding: output, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw HNASError.file(script, "the PyTorch reference failed", why: "its output is not a JSON object: \(line.prefix(200))")
        }
        return object
    }
}

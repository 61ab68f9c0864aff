import Foundation
import HNASKit

/// Writes DOT source to a file, rendered by Graphviz's `dot` when the output is not `.dot`.
public enum GraphvizRenderer {
    /// What was written.
    public enum Outcome: Equatable {
        /// The image at this path, rendered by `dot`.
        case rendered(String)
        /// Only the DOT source at this path (the output asked for `.dot`, or `dot` is not installed).
        case sourceOnly(String, dotMissing: Bool)
    }

    /// Writes `source` to `output`: DOT text for a `.dot` path, otherwise the image format of the
    /// extension (svg, pdf, png) through `dot -T<ext>`; without `dot` on the PATH the source is
    /// written next to the output as `<output>.dot`. All files are written atomically.
    /// - Throws: `HNASError` naming the file when writing or rendering fails.
    public static func write(_ source: String, to output: String) throws -> Outcome {
        let url = URL(fileURLWithPath: output)
        let format = url.pathExtension.lowercased()
        if format == "dot" || format == "gv" {
            try atomicWrite(Data(source.utf8), to: output)
            return .sourceOnly(output, dotMissing: false)
        }
        guard let dot = findDot() else {
            let fallback = output + ".dot"
            try atomicWrite(Data(source.utf8), to: fallback)
            return .sourceOnly(fallback, dotMissing: true)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: dot)
        process.arguments = ["-T\(format.isEmpty ? "svg" : format)"]
        let input = Pipe(), outputPipe = Pipe(), errorPipe = Pipe()
        process.standardInput = input
        process.standardOutput = outputPipe
        process.standardError = errorPipe
        do { try process.run() } catch {
            throw HNASError.file(dot, "cannot run Graphviz", why: FileContents.reason(error))
        }
        input.fileHandleForWriting.write(Data(source.utf8))
        try? input.fileHandleForWriting.close()
        let image = outputPipe.fileHandleForReading.readDataToEndOfFile()
        let message = errorPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw HNASError.file(output, "cannot render with Graphviz",
                                 why: String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        try atomicWrite(image, to: output)
        return .rendered(output)
    }

    private static func findDot() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/dot" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private static func atomicWrite(_ data: Data, to path: String) throws {
        try AtomicFile.write(data, to: URL(fileURLWithPath: path), path: path)
    }
}

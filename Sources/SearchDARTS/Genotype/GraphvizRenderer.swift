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

        /// The one line a command prints about it: `wrote PATH`, or without Graphviz which file was written instead.
        public var message: String {
            switch self {
            case .rendered(let path), .sourceOnly(let path, false): return "wrote \(path)"
            case .sourceOnly(let path, true):
                return "Graphviz 'dot' is not installed, so nothing was rendered: wrote the DOT source to \(path)"
            }
        }
    }

    /// Writes `source` to `output`: DOT text for a `.dot` path, otherwise the image format of the
    /// extension (svg, pdf, png) through `dot -T<ext>`; without `dot` on the PATH the source is
    /// written next to the output as `<output>.dot`. All files are written atomically (`AtomicFile`), and `output`
    /// itself must be a destination `AtomicFile` accepts even when only `<output>.dot` is written: a device, FIFO or
    /// folder (or a link to one) is refused before anything is written.
    /// - Throws: `HNASError` naming the file when writing or rendering fails (Graphviz's message on one line).
    public static func write(_ source: String, to output: String) throws -> Outcome {
        let url = URL(fileURLWithPath: output)
        try AtomicFile.checkDestination(url, path: output)
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
            let lines = String(decoding: message, as: UTF8.self).split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            throw HNASError.file(output, "cannot render with Graphviz",
                                 why: lines.isEmpty ? "dot exited with status \(process.terminationStatus)" : lines.joined(separator: " / "))
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

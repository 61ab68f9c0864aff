import ArgumentParser
import Foundation
import HNASKit
import ModalityText

/// `hnas tokenize`: CLIP BPE token ids of texts (one JSON array per input line), or the reverse.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Tokenise text with CLIP's byte-level BPE (the ids CLIP gives), or decode ids back to text.",
        discussion: """
            Each input (a TEXT argument, or each line of --file; stdin when neither is given) gives one \
            JSON array on stdout: <|startoftext|> (49406), the ids, <|endoftext|> (49407), zero-padded \
            to --context-length (longer texts are cut and end with 49407, as CLIP does).
            With --decode each input line is a JSON array of ids; a row as printed by tokenize is cut at \
            its end token and printed without the special tokens, any other array is decoded as CLIP's \
            decode does (every word followed by a space).
            --stats prints lines, tokens and tokens per second to stderr (vocabulary load excluded).

            Example:
              hnas tokenize "Hello, world!" --context-length 8
              hnas tokenize --file captions.txt > ids.jsonl
              hnas tokenize --decode --file ids.jsonl
            """
    )

    @Argument(help: "Texts to tokenise (each one input).")
    var texts: [String] = []

    @Option(name: .long, help: "Read one input per line from this UTF-8 file ('-' for stdin).")
    var file: String?

    @Option(name: .long, help: "Length of each output row, start and end tokens included.")
    var contextLength: Int = CLIPTokenizer.defaultContextLength

    @Flag(name: .long, help: "Decode JSON arrays of ids back to text.")
    var decode = false

    @Flag(name: .long, help: "Print throughput to stderr.")
    var stats = false

    @Option(name: .long, help: "With --stats: tokenise the inputs this many times (for timing).")
    var passes: Int = 1

    func run() throws {
        try ArgumentRange.check(contextLength, ArgumentRange.contextLength, "--context-length")
        try ArgumentRange.check(passes, ArgumentRange.repeats, "--passes")
        let inputs = try readInputs()
        let tokenizer = try CLIPTokenizer.bundled()
        var output = ""
        if decode {
            for (index, line) in inputs.enumerated() {
                output += try tokenizer.decode(ids(in: line, number: index + 1)) + "\n"
            }
            FileHandle.standardOutput.write(Data(output.utf8))
            return
        }

        let start = DispatchTime.now()
        var rows = [[Int]]()
        for _ in 0..<passes {
            rows = try tokenizer.tokenize(inputs, contextLength: contextLength)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        for row in rows {
            output += "[" + row.map(String.init).joined(separator: ",") + "]\n"
        }
        FileHandle.standardOutput.write(Data(output.utf8))
        if stats {
            // BPE ids before truncation, counted outside the timed loop.
            let tokenCount = passes * inputs.reduce(0) { $0 + tokenizer.encode($1).count }
            let line = String(format: "lines %d  passes %d  tokens %d  seconds %.3f  tokens/s %.0f\n",
                              inputs.count, passes, tokenCount, seconds, Double(tokenCount) / max(seconds, 1e-9))
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    /// The ids of one `--decode` input line; a tokenize row is cut at its end token.
    private func ids(in line: String, number: Int) throws -> [Int] {
        guard let parsed = try? JSONDecoder().decode([Int].self, from: Data(line.utf8)) else {
            let why = "input \(number) is not a JSON array of integers"
            throw file.map { HNASError.file($0, "cannot decode token ids", why: why) }
                ?? HNASError("cannot decode token ids", .argument("TEXT"), why: why)
        }
        guard parsed.first == CLIPTokenizer.startOfTextID else { return parsed }
        let body = parsed.dropFirst()
        return Array(body.prefix { $0 != CLIPTokenizer.endOfTextID })
    }

    /// The inputs: the TEXT arguments, then the lines of --file (or stdin when neither is given).
    private func readInputs() throws -> [String] {
        var inputs = texts
        if let file {
            inputs += try lines(of: file)
        } else if texts.isEmpty {
            inputs += try lines(of: "-")
        }
        return inputs
    }

    /// The most bytes `--file` reads (256 MiB): a stream such as `/dev/zero` is refused instead of filling memory.
    static let maximumInputBytes = 1 << 28

    /// Everything `handle` yields, up to `maximumInputBytes`.
    /// - Throws: `HNASError` naming `path` when reading fails or the input is longer.
    private static func read(_ handle: FileHandle, path: String) throws -> Data {
        var data = Data()
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                data.append(chunk)
                guard data.count <= maximumInputBytes else {
                    throw HNASError.file(path, "cannot read", why: "it is longer than the limit of \(maximumInputBytes) bytes")
                }
            }
        } catch let error as HNASError {
            throw error
        } catch {
            throw HNASError.file(path, "cannot read", why: FileContents.reason(error))
        }
        return data
    }

    /// The lines of a UTF-8 file (a trailing CR is dropped; no input after the final newline).
    /// - Throws: `HNASError` naming the file and the line that is not valid UTF-8.
    private func lines(of path: String) throws -> [String] {
        let data: Data
        if path == "-" {
            data = try Self.read(FileHandle.standardInput, path: "-")
        } else {
            // A FileHandle also reads pipes and devices (`<(…)`, /dev/stdin), which Data(contentsOf:) refuses.
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                throw HNASError.file(path, "cannot read", why: "it is a directory")
            }
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw HNASError.file(path, "cannot read", why: "the file does not exist or is not readable")
            }
            data = try Self.read(handle, path: path)
        }
        var pieces = [UInt8](data).split(separator: 0x0A, omittingEmptySubsequences: false)
        if pieces.last?.isEmpty == true { pieces.removeLast() }
        return try pieces.enumerated().map { index, bytes in
            let line = bytes.last == 0x0D ? bytes.dropLast() : bytes
            guard let text = String(bytes: line, encoding: .utf8) else {
                throw HNASError.file(path == "-" ? "stdin" : path, "cannot read text",
                                     why: "line \(index + 1) is not valid UTF-8")
            }
            return text
        }
    }
}

import ArgumentParser
import Foundation
import HNASKit
import ModalityAudio

/// `hnas features mfcc FILE`: the MFCC matrix of a sound file as the original AV-MNIST loader
/// computes it (before its 2x − 1 normalisation); with `--benchmark DIR`, the chain's throughput.
struct FeaturesMfccCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mfcc",
        abstract: "Print the MFCC matrix of a sound file (rows = coefficients, columns = frames).",
        discussion: """
            The file (WAV, FLAC, OGG, … read through libsndfile) is mixed down to mono, decimated by
            keeping every --decimate-th sample, and turned into MFCCs with librosa 0.7.0's semantics
            (n_fft 2048, hop 512, periodic Hann, reflect padding, 128 Slaney mel bands, dB with
            top_db 80, orthonormal DCT-II), the mel filters placed for --sample-rate. The frame
            axis is zero-padded or truncated to --frames (0 keeps the clip's own count).
            The defaults are the original AV-MNIST audio features.

            Examples:
              hnas features mfcc sound_450/test/7/7_theo_3.wav
              hnas features mfcc speech.flac --n-mfcc 13 --decimate 1 --sample-rate 16000 --frames 0 --json
              hnas features mfcc --benchmark sound_450/test/7 --threads 2
            """
    )

    @Argument(help: "The sound file.")
    var file: String?

    @Option(name: .customLong("n-mfcc"), help: "Number of coefficients (rows).")
    var coefficientCount = 20

    @Option(help: "Frames (columns) of the result: zero-padded or truncated; 0 keeps all frames.")
    var frames = 20

    @Option(help: "Keep every N-th sample before the MFCC (no anti-alias filter, as the original).")
    var decimate = 3

    @Option(name: .customLong("sample-rate"), help: "Sample rate in Hz the mel filters are placed for (the original passes 8000).")
    var sampleRate = 8000.0

    @Flag(help: "Print JSON: file, sample rate, channels, shape and the matrix.")
    var json = false

    @Option(help: ArgumentHelp("Instead of one file, time the chain over every .wav/.flac/.ogg file of this folder.", valueName: "dir"))
    var benchmark: String?

    @Option(help: "Worker threads for --benchmark.")
    var threads = 1

    @Option(help: "Timed passes over the folder for --benchmark (after one warm-up pass).")
    var repeats = 3

    func run() throws {
        var parameters = MFCCParameters()
        parameters.coefficientCount = coefficientCount
        parameters.sampleRate = sampleRate
        try ArgumentRange.check(frames, ArgumentRange.frames, "--frames")
        try ArgumentRange.check(threads, ArgumentRange.threads, "--threads")
        try ArgumentRange.check(repeats, ArgumentRange.repeats, "--repeats")
        try ArgumentRange.check(decimate, ArgumentRange.decimation, "--decimate")
        try ArgumentRange.checkPositive(sampleRate, atMost: ArgumentRange.maximumSampleRate, "--sample-rate")
        let pipeline = try MFCCPipeline(parameters: parameters, decimation: decimate, frameCount: frames == 0 ? nil : frames)
        switch (file, benchmark) {
        case (let file?, nil): try printFeatures(of: file, pipeline: pipeline)
        case (nil, let directory?): try runBenchmark(directory, pipeline: pipeline)
        default: throw HNASError.argument("FILE / --benchmark", why: "give either one sound file or --benchmark DIR")
        }
    }

    /// What `--json` prints for one file.
    private struct Output: Encodable {
        let file: String
        let sampleRate: Double
        let channels: Int
        let samples: Int
        let shape: [Int]
        let mfcc: [[Float]]
    }

    private func printFeatures(of file: String, pipeline: MFCCPipeline) throws {
        let signal = try SoundFileReader.read(file)
        let mfcc = try pipeline.features(of: signal)
        let (rows, columns) = (mfcc.shape[0], mfcc.shape[1])
        let matrix = (0 ..< rows).map { Array(mfcc.scalars[$0 * columns ..< ($0 + 1) * columns]) }
        if json {
            let output = Output(file: file, sampleRate: signal.sampleRate, channels: signal.sourceChannels,
                                samples: signal.samples.count, shape: mfcc.shape, mfcc: matrix)
            print(try Self.encode(output))
            return
        }
        print("\(file): \(signal.sourceChannels) channel(s) at \(String(format: "%g", signal.sampleRate)) Hz, "
            + "\(signal.samples.count) samples -> MFCC \(rows) x \(columns) (rows = coefficients, columns = frames)")
        for row in matrix {
            print(row.map { String(format: "%10.4f", $0) }.joined(separator: " "))
        }
    }

    /// Compact JSON with keys in a fixed (sorted) order.
    private static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private func runBenchmark(_ directory: String, pipeline: MFCCPipeline) throws {
        let result = try MFCCBenchmark.run(directory: directory, pipeline: pipeline, threads: threads, repeats: repeats)
        if json {
            print(try Self.encode(result))
            return
        }
        print(String(format: "%d files x %d passes on %d thread(s): %.3f s, %.1f MFCCs/s (%.1f per CPU-second)",
                     result.files, result.repeats, result.threads, result.seconds, result.mfccsPerSecond,
                     result.mfccsPerCPUSecond))
    }
}

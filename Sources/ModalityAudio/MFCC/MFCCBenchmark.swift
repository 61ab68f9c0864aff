import Foundation
import HNASKit

/// Throughput of the whole audio chain (read + mix down + decimate + MFCC + frame fitting) over a
/// folder of sound files, on one or more threads: what `hnas features mfcc --benchmark` reports.
public enum MFCCBenchmark {
    /// One measurement.
    public struct Result: Codable, Equatable, Sendable {
        /// Sound files found in the folder.
        public let files: Int
        /// Worker threads used.
        public let threads: Int
        /// Passes over the folder that were timed (after one untimed warm-up pass).
        public let repeats: Int
        /// Wall-clock time of the timed passes.
        public let seconds: Double
        /// Files turned into MFCC matrices per second.
        public let mfccsPerSecond: Double
        /// CPU time (user + system, all threads) of the timed passes: unlike wall time, it barely
        /// depends on how many other processes share the machine.
        public let cpuSeconds: Double
        /// Files per CPU-second.
        public let mfccsPerCPUSecond: Double
    }

    /// The file extensions the benchmark picks up (case-insensitive).
    public static let extensions: Set<String> = ["wav", "flac", "ogg"]

    /// Processes every sound file of `directory` once untimed, then `repeats` times timed, the
    /// work spread round-robin over `threads` threads sharing one `pipeline`.
    /// - Throws: `HNASError` when the folder cannot be listed, holds no sound files, the
    ///   settings are out of range, or a file fails to load (the first failure is reported).
    public static func run(directory: String, pipeline: MFCCPipeline, threads: Int, repeats: Int) throws -> Result {
        guard threads >= 1 else { throw HNASError.argument("--threads", why: "must be at least 1, got \(threads)") }
        guard repeats >= 1 else { throw HNASError.argument("--repeats", why: "must be at least 1, got \(repeats)") }
        let files = try soundFiles(in: directory)
        try process(files, passes: 1, threads: threads, pipeline: pipeline)
        let clock = ContinuousClock()
        let cpuBefore = processCPUSeconds()
        let elapsed = try clock.measure {
            try process(files, passes: repeats, threads: threads, pipeline: pipeline)
        }
        let cpuSeconds = processCPUSeconds() - cpuBefore
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let processed = Double(files.count * repeats)
        return Result(files: files.count, threads: threads, repeats: repeats, seconds: seconds,
                      mfccsPerSecond: processed / seconds, cpuSeconds: cpuSeconds,
                      mfccsPerCPUSecond: processed / cpuSeconds)
    }

    /// User + system CPU time this process has used so far, over all its threads.
    private static func processCPUSeconds() -> Double {
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) * 1e-6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// The sound files directly inside `directory`, sorted by name.
    static func soundFiles(in directory: String) throws -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw HNASError.file(directory, "cannot list", why: FileContents.reason(error))
        }
        let files = names.filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
        guard !files.isEmpty else {
            throw HNASError.file(directory, "cannot benchmark", why: "no .wav, .flac or .ogg files in the folder")
        }
        return files.map { (directory as NSString).appendingPathComponent($0) }
    }

    private static func process(_ files: [String], passes: Int, threads: Int, pipeline: MFCCPipeline) throws {
        let total = files.count * passes
        let failures = FirstError()
        DispatchQueue.concurrentPerform(iterations: threads) { worker in
            for index in stride(from: worker, to: total, by: threads) {
                do {
                    _ = try pipeline.features(ofFile: files[index % files.count])
                } catch {
                    failures.record(error)
                    return
                }
            }
        }
        if let error = failures.error { throw error }
    }

    /// The first error any worker hit.
    private final class FirstError: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: Error?

        var error: Error? { lock.withLock { stored } }

        func record(_ error: Error) {
            lock.withLock { if stored == nil { stored = error } }
        }
    }
}

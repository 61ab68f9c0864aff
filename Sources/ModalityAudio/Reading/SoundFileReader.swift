import CSndFile
import Foundation
import HNASKit

/// Reads sound files (WAV, FLAC, OGG/Vorbis and the other formats libsndfile knows) into a mono `AudioSignal`.
///
/// The format is recognised from the file's content, not its extension. Samples are read as Float
/// the way the original's `librosa.load(path, sr=None, mono=True)` does (libsndfile's float
/// conversion: 16-bit integers divided by 32768, 24-bit by 2^23, float data as stored), at the
/// native rate, and channels are averaged in Float: `(c0 + c1 + … ) / channels`, summed in
/// channel order like NumPy's `mean` over the channel axis.
///
/// Every failure — missing, empty, non-audio or truncated file, a decoder error — is an
/// `HNASError` naming the file with libsndfile's message; nothing here traps on bad input.
/// Reading is thread-safe; only the text of an *open* failure comes from libsndfile's one global
/// message slot, so two threads failing to open files at the same instant may swap messages.
public enum SoundFileReader {
    /// Files holding more samples than this (all channels together) are refused rather than
    /// exhausting memory: 2^28 Float samples are 1 GiB, about 9 hours of 8 kHz audio.
    public static let maximumSamples = 1 << 28

    /// Decodes `path` and mixes it down to mono.
    /// - Throws: `HNASError` naming `path` when it cannot be opened or decoded, holds no samples,
    ///   is truncated (its header declares more audio than the file contains) or is too large.
    public static func read(_ path: String) throws -> AudioSignal {
        try FileContents.requireRegularFile(URL(fileURLWithPath: path), "cannot read audio", path: path)
        var info = SF_INFO()
        guard let file = sf_open(path, Int32(SFM_READ), &info) else {
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int
            throw failure(path, why: size == 0 ? "the file is empty (0 bytes)" : String(cString: sf_strerror(nil)))
        }
        defer { sf_close(file) }
        guard info.channels >= 1, info.samplerate >= 1 else {
            throw failure(path, why: "libsndfile reports \(info.channels) channels at \(info.samplerate) Hz")
        }
        try checkNotTruncated(file, path: path)
        let channels = Int(info.channels)
        let interleaved = try readAll(file, channels: channels, declaredFrames: Int(info.frames), path: path)
        guard !interleaved.isEmpty else {
            throw failure(path, why: "the file holds no audio samples")
        }
        return AudioSignal(samples: mixDown(interleaved, channels: channels),
                           sampleRate: Double(info.samplerate), sourceChannels: channels)
    }

    /// Reads every frame in chunks, so a header that lies about its length cannot make us
    /// allocate more than the file really holds.
    private static func readAll(_ file: OpaquePointer, channels: Int, declaredFrames: Int, path: String) throws -> [Float] {
        // One chunk usually holds a short clip whole (the header's count is a hint, not trusted).
        let largestChunk = max(1, (1 << 16) / channels)
        let chunkFrames = (0 ..< largestChunk).contains(declaredFrames) ? declaredFrames + 1 : largestChunk
        var samples: [Float] = []
        var chunk = [Float](repeating: 0, count: chunkFrames * channels)
        while true {
            let got = Int(chunk.withUnsafeMutableBufferPointer {
                sf_readf_float(file, $0.baseAddress, sf_count_t(chunkFrames))
            })
            if sf_error(file) != 0 {
                throw failure(path, why: String(cString: sf_strerror(file)))
            }
            guard got > 0 else { break }
            guard samples.count + got * channels <= maximumSamples else {
                throw failure(path, why: "more than \(maximumSamples) samples; refusing to load it whole")
            }
            samples.append(contentsOf: chunk[0 ..< got * channels])
        }
        return samples
    }

    /// Averages interleaved frames to mono; a mono signal is returned as is.
    private static func mixDown(_ interleaved: [Float], channels: Int) -> [Float] {
        guard channels > 1 else { return interleaved }
        let divisor = Float(channels)
        return (0 ..< interleaved.count / channels).map { frame in
            var sum: Float = 0
            for channel in 0 ..< channels {
                sum += interleaved[frame * channels + channel]
            }
            return sum / divisor
        }
    }

    /// libsndfile silently shortens a file whose data chunk is cut off (a partial download or
    /// copy) and only notes it in its log, as `data : <declared> (should be <present>)` (WAV,
    /// W64, RF64) or `SSND : …` (AIFF). Such a file is reported instead of read as a shorter clip.
    private static func checkNotTruncated(_ file: OpaquePointer, path: String) throws {
        var log = [CChar](repeating: 0, count: 8192)
        let length = Int(sf_command(file, Int32(SFC_GET_LOG_INFO), &log, Int32(log.count)))
        guard length > 0 else { return }
        let text = log.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        guard text.contains("should be") else { return }
        for line in text.split(separator: "\n") {
            let fields = line.split(whereSeparator: { " :()".contains($0) })
            // e.g. ["data", "9886", "should", "be", "956"]
            guard fields.count == 5, fields[0] == "data" || fields[0] == "SSND",
                  fields[2] == "should", fields[3] == "be",
                  let declared = Int(fields[1]), let present = Int(fields[4]), present < declared
            else { continue }
            throw failure(path, why: "the file is truncated: its header declares \(declared) bytes of audio "
                + "but only \(present) are present")
        }
    }

    private static func failure(_ path: String, why: String) -> HNASError {
        HNASError.file(path, "cannot read audio", why: why.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

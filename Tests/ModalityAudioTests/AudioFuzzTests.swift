import HNASKit
import ModalityAudio
import XCTest

/// Randomly damaged fixtures (seeded, bounded) must decode or fail with a typed error — never crash or hang.
final class AudioFuzzTests: XCTestCase {
    func testMutatedFixturesNeverCrash() throws {
        let directory = try AudioFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pipeline = try MFCCPipeline()
        let sources = ["speech_8k_mono_pcm16.wav", "chirp_16k_stereo_float.wav", "mixed_8k_3ch_pcm24.wav",
                       "speech_16k_mono.flac", "tone_8k_short_pcm16.wav"]
        var generator = SeededGenerator(seed: 6)
        var decoded = 0, rejected = 0
        for round in 0 ..< 100 {
            let source = sources[round % sources.count]
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try AudioFixtures.file(source).path)))
            mutate(&bytes, using: &generator)
            let path = directory.appendingPathComponent("fuzz\(round)_\(source)").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                let features = try pipeline.features(ofFile: path)
                XCTAssertEqual(features.shape, [20, 20])
                decoded += 1
            } catch let error as HNASError {
                XCTAssertEqual(error.subject, .file(path))
                rejected += 1
            }
            try FileManager.default.removeItem(atPath: path)
        }
        XCTAssertEqual(decoded + rejected, 100)
        XCTAssertGreaterThan(rejected, 0, "the mutations should break some files")
        XCTAssertGreaterThan(decoded, 0, "the mutations should leave some files decodable")
    }

    /// One of: flip a few random bytes (often in the header), cut the file short, or overwrite
    /// a run of bytes with a random value.
    private func mutate(_ bytes: inout [UInt8], using generator: inout SeededGenerator) {
        switch Int.random(in: 0 ..< 3, using: &generator) {
        case 0:
            for _ in 0 ..< Int.random(in: 1 ... 8, using: &generator) {
                let limit = Bool.random(using: &generator) ? min(64, bytes.count) : bytes.count
                bytes[Int.random(in: 0 ..< limit, using: &generator)] = UInt8.random(in: 0 ... 255, using: &generator)
            }
        case 1:
            bytes.removeLast(Int.random(in: 1 ..< bytes.count, using: &generator))
        default:
            let start = Int.random(in: 0 ..< bytes.count, using: &generator)
            let end = min(bytes.count, start + Int.random(in: 1 ... 256, using: &generator))
            let value = UInt8.random(in: 0 ... 255, using: &generator)
            for index in start ..< end { bytes[index] = value }
        }
    }
}

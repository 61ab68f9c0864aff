import CSndFile
import HNASKit
import ModalityAudio
import XCTest

/// Decoding through libsndfile: rates, channel mix-down and sample formats as librosa reads them,
/// and typed errors naming the file for everything that is not a readable sound file.
final class SoundFileReaderTests: XCTestCase {
    func testFixturesDecodeLikeLibrosaLoad() throws {
        for fixture in AudioFixtures.reference.files {
            let signal = try SoundFileReader.read(fixture.path)
            XCTAssertEqual(signal.sampleRate, Double(fixture.sampleRate), fixture.file)
            XCTAssertEqual(signal.sourceChannels, fixture.channels, fixture.file)
            XCTAssertEqual(signal.samples.count, fixture.frames, fixture.file)
            // Mix-down order and integer scaling are exact, so the samples are bit-identical.
            XCTAssertEqual(Array(signal.samples.prefix(32)), fixture.monoHead, fixture.file)
            let sum = signal.samples.reduce(0.0) { $0 + Double($1) }
            XCTAssertEqual(sum, fixture.monoSum, accuracy: 1e-9 * max(1, abs(fixture.monoSum)), fixture.file)
        }
    }

    func testSixteenBitSamplesAreScaledBy32768AndChannelsAveraged() throws {
        let directory = try AudioFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("stereo.wav").path
        try writeSound(path, channels: 2, rate: 11025, format: SF_FORMAT_WAV | SF_FORMAT_PCM_16,
                       interleaved: [16384, -16384, 32767, 1, -32768, -32768])
        let signal = try SoundFileReader.read(path)
        XCTAssertEqual(signal.sampleRate, 11025)
        XCTAssertEqual(signal.samples, [0, (32767.0 / 32768 + 1.0 / 32768) / 2, -1])
    }

    /// OGG/Vorbis is lossy, so only the length and the rough shape of a tone are checked.
    func testOggVorbisIsRead() throws {
        let directory = try AudioFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("tone.ogg").path
        let tone = (0 ..< 8000).map { Int16(8000 * sin(Double($0) * 2 * .pi * 440 / 16000)) }
        try writeSound(path, channels: 1, rate: 16000, format: SF_FORMAT_OGG | SF_FORMAT_VORBIS, interleaved: tone)
        let signal = try SoundFileReader.read(path)
        XCTAssertEqual(signal.sampleRate, 16000)
        XCTAssertEqual(signal.samples.count, 8000)
        let rms = (signal.samples.map { Double($0 * $0) }.reduce(0, +) / 8000).squareRoot()
        XCTAssertEqual(rms, 8000.0 / 32768 / 2.0.squareRoot(), accuracy: 0.02)
    }

    /// libsndfile recognises formats by content, so a WAV named `.ogg` still decodes (to the same samples).
    func testFormatComesFromContentNotExtension() throws {
        let directory = try AudioFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try AudioFixtures.file("speech_8k_mono_pcm16.wav")
        let renamed = directory.appendingPathComponent("speech.ogg").path
        try FileManager.default.copyItem(atPath: source.path, toPath: renamed)
        XCTAssertEqual(try SoundFileReader.read(renamed), try SoundFileReader.read(source.path))
    }

    func testBrokenCorpusGivesTypedErrorsNamingTheFile() throws {
        XCTAssertGreaterThanOrEqual(AudioFixtures.reference.broken.count, 5)
        for name in AudioFixtures.reference.broken {
            assertReadError(AudioFixtures.brokenPath(name))
        }
        assertReadError(AudioFixtures.directory.appendingPathComponent("does_not_exist.wav").path, mentioning: "No such file")
        assertReadError(AudioFixtures.directory.path)  // a directory
        assertReadError(AudioFixtures.brokenPath("zero_bytes.wav"), mentioning: "empty")
        assertReadError(AudioFixtures.brokenPath("text_named.wav"), mentioning: "Format not recognised")
    }

    func testTruncatedDataIsReportedNotReadAsAShorterClip() throws {
        let directory = try AudioFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in ["speech_8k_mono_pcm16.wav", "chirp_16k_stereo_float.wav", "speech_16k_mono.flac"] {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: try AudioFixtures.file(name).path))
            let path = directory.appendingPathComponent("cut_" + name).path
            try bytes.prefix(bytes.count / 2 + 1).write(to: URL(fileURLWithPath: path))
            assertReadError(path)
        }
    }

    // MARK: - helpers

    func assertReadError(_ path: String, mentioning text: String? = nil, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try SoundFileReader.read(path), file: file, line: line) { error in
            guard let error = error as? HNASError else {
                return XCTFail("untyped error \(error)", file: file, line: line)
            }
            XCTAssertEqual(error.subject, .file(path), file: file, line: line)
            XCTAssertTrue("\(error)".contains(path), file: file, line: line)
            XCTAssertFalse(error.why.isEmpty, file: file, line: line)
            if let text {
                XCTAssertTrue(error.why.contains(text), "\(error)", file: file, line: line)
            }
        }
    }

    func writeSound(_ path: String, channels: Int32, rate: Int32, format: Int, interleaved: [Int16]) throws {
        var info = SF_INFO()
        info.samplerate = rate
        info.channels = channels
        info.format = Int32(format)
        let writer = try XCTUnwrap(sf_open(path, Int32(SFM_WRITE), &info), String(cString: sf_strerror(nil)))
        XCTAssertEqual(sf_writef_short(writer, interleaved, sf_count_t(interleaved.count) / sf_count_t(channels)),
                       sf_count_t(interleaved.count) / sf_count_t(channels))
        sf_close(writer)
    }
}

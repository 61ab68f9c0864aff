import CFFTW
import CSndFile
import Foundation
import XCTest

/// The audio libraries link and work: libsndfile round-trips a WAV, FFTW transforms a known signal.
final class CLibraryShimTests: XCTestCase {
    func testSndfileWritesAndReadsBackAWAV() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-shim-\(UUID()).wav").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var info = SF_INFO()
        info.samplerate = 8000
        info.channels = 1
        info.format = Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16)
        let samples: [Int16] = [0, 1000, -1000, 32767, -32768]
        let writer = try XCTUnwrap(sf_open(path, Int32(SFM_WRITE), &info))
        XCTAssertEqual(sf_write_short(writer, samples, sf_count_t(samples.count)), sf_count_t(samples.count))
        sf_close(writer)

        var readInfo = SF_INFO()
        let reader = try XCTUnwrap(sf_open(path, Int32(SFM_READ), &readInfo))
        defer { sf_close(reader) }
        XCTAssertEqual(readInfo.samplerate, 8000)
        XCTAssertEqual(readInfo.frames, sf_count_t(samples.count))
        var back = [Int16](repeating: 0, count: samples.count)
        XCTAssertEqual(sf_read_short(reader, &back, sf_count_t(back.count)), sf_count_t(samples.count))
        XCTAssertEqual(back, samples)
    }

    /// The DFT of [1, 2, 3, 4] is [10, -2+2i, -2].
    func testFFTWRealToComplexOnKnownSignal() {
        var input: [Float] = [1, 2, 3, 4]
        var output = [fftwf_complex](repeating: fftwf_complex(0, 0), count: 3)
        let plan = fftwf_plan_dft_r2c_1d(4, &input, &output, UInt32(FFTW_ESTIMATE))
        fftwf_execute(plan)
        fftwf_destroy_plan(plan)
        XCTAssertEqual(output.map { [$0.0, $0.1] }, [[10, 0], [-2, 2], [-2, 0]])
    }
}

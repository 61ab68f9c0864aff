import HNASKit
@testable import ModalityAudio
import XCTest

/// hnas's MFCC against librosa (0.7.0 semantics) on the committed fixtures, and its building blocks.
final class MFCCTests: XCTestCase {
    /// The acceptance bound: dB-scale coefficients within 1e-3 of librosa's.
    let tolerance: Float = 1e-3

    func assertMatrix(_ tensor: Tensor, equals reference: [[Double]], _ what: String,
                      file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(tensor.shape, [reference.count, reference.first?.count ?? 0], what, file: file, line: line)
        guard tensor.shape == [reference.count, reference.first?.count ?? 0] else { return }
        let columns = tensor.shape[1]
        var worst: Float = 0
        for (row, values) in reference.enumerated() {
            for (column, value) in values.enumerated() {
                worst = max(worst, abs(tensor.scalars[row * columns + column] - Float(value)))
            }
        }
        XCTAssertLessThanOrEqual(worst, tolerance, "\(what): max |hnas - librosa| = \(worst)", file: file, line: line)
    }

    func testEveryFixtureMatchesLibrosaLikeTheOriginal() throws {
        let pipeline = try MFCCPipeline(frameCount: nil)
        XCTAssertGreaterThanOrEqual(AudioFixtures.reference.files.count, 7)
        for fixture in AudioFixtures.reference.files {
            let mfcc = try pipeline.features(ofFile: fixture.path)
            assertMatrix(mfcc, equals: fixture.mfcc, fixture.file)
        }
    }

    func testNonDefaultRateCoefficientsAndNoDecimationMatchLibrosa() throws {
        let fixture = try AudioFixtures.file("chirp_16k_stereo_float.wav")
        var parameters = MFCCParameters()
        parameters.sampleRate = 16000
        parameters.coefficientCount = 13
        let pipeline = try MFCCPipeline(parameters: parameters, decimation: 1, frameCount: nil)
        assertMatrix(try pipeline.features(ofFile: fixture.path), equals: try XCTUnwrap(fixture.mfcc16kNoDecimation13), "16 kHz, 13 MFCCs")
    }

    func testFilterbankEqualsLibrosasFloat32Matrix() throws {
        for reference in AudioFixtures.reference.filterbanks {
            let bank = MelFilterbank(sampleRate: reference.sampleRate, fftLength: reference.nFFT, bandCount: reference.nMels)
            XCTAssertEqual(bank.filters.count, reference.nMels)
            XCTAssertEqual(bank.binCount, reference.nFFT / 2 + 1)
            for (filter, row) in zip(bank.filters, reference.rows) {
                XCTAssertEqual(filter.firstBin, row.start)
                XCTAssertEqual(filter.weights.count, row.values.count)
                for (mine, theirs) in zip(filter.weights, row.values) {
                    XCTAssertEqual(mine, Float(theirs), accuracy: Float(theirs).ulp, "sr \(reference.sampleRate)")
                }
            }
        }
    }

    func testSlaneyMelScaleKnownPoints() {
        XCTAssertEqual(MelFilterbank.mel(fromHertz: 0), 0)
        XCTAssertEqual(MelFilterbank.mel(fromHertz: 500), 7.5, accuracy: 1e-12)
        XCTAssertEqual(MelFilterbank.mel(fromHertz: 1000), 15, accuracy: 1e-12)
        XCTAssertEqual(MelFilterbank.mel(fromHertz: 6400), 15 + 27, accuracy: 1e-12)  // ln(6.4) / (ln 6.4 / 27)
        for hertz in [0.0, 123.4, 999.9, 1000, 3999, 11025] {
            XCTAssertEqual(MelFilterbank.hertz(fromMel: MelFilterbank.mel(fromHertz: hertz)), hertz, accuracy: 1e-9)
        }
    }

    func testReflectPaddingFollowsNumPyIncludingRepeatedReflection() {
        // np.pad(np.arange(4), 6, 'reflect') = [0 1 2 3 2 1 | 0 1 2 3 | 2 1 0 1 2 3]
        XCTAssertEqual(MFCCExtractor.reflectPadded([0, 1, 2, 3], by: 6), [0, 1, 2, 3, 2, 1, 0, 1, 2, 3, 2, 1, 0, 1, 2, 3])
        XCTAssertEqual(MFCCExtractor.reflectPadded([5, 7, 9, 11, 13], by: 2), [9, 7, 5, 7, 9, 11, 13, 11, 9])
        XCTAssertEqual(MFCCExtractor.reflectPadded([4], by: 3), [4, 4, 4, 4, 4, 4, 4])
    }

    func testFrameCountIsOnePlusSamplesOverHop() throws {
        let extractor = try MFCCExtractor()
        for (samples, frames) in [(1, 1), (511, 1), (512, 2), (1333, 3), (10239, 20), (10240, 21)] {
            XCTAssertEqual(extractor.frameCount(forSampleCount: samples), frames)
            XCTAssertEqual(try extractor.coefficients(of: [Float](repeating: 0.25, count: samples)).shape, [20, frames])
        }
        // An odd FFT length pads ⌊n_fft / 2⌋ per side, one sample short of n_fft: 1 + ⌊(n − 1) / hop⌋ frames.
        var parameters = MFCCParameters()
        parameters.fftLength = 255
        parameters.hopLength = 100
        parameters.melBandCount = 40
        let odd = try MFCCExtractor(parameters)
        for (samples, frames) in [(1, 1), (100, 1), (101, 2), (250, 3)] {
            XCTAssertEqual(try odd.coefficients(of: [Float](repeating: 0.25, count: samples)).shape, [20, frames])
        }
    }

    /// A silent clip: every band sits at the 1e-10 floor (−100 dB), so only c0 = √128 · (−100) is nonzero.
    func testSilenceGivesTheFloorInCoefficientZeroOnly() throws {
        let mfcc = try MFCCExtractor().coefficients(of: [Float](repeating: 0, count: 3000))
        XCTAssertEqual(mfcc.shape, [20, 6])
        for t in 0 ..< 6 {
            XCTAssertEqual(mfcc.scalars[t], -100 * Float(128).squareRoot(), accuracy: 1e-3)
            for k in 1 ..< 20 {
                XCTAssertEqual(mfcc.scalars[k * 6 + t], 0, accuracy: 1e-4)
            }
        }
    }

    func testDecimationKeepsEveryThirdSampleWithoutFiltering() throws {
        let signal = AudioSignal(samples: (0 ..< 10).map(Float.init), sampleRate: 8000)
        let decimated = try signal.decimated(by: 3)
        XCTAssertEqual(decimated.samples, [0, 3, 6, 9])
        XCTAssertEqual(decimated.sampleRate, 8000.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(try signal.decimated(by: 1), signal)
        XCTAssertThrowsError(try signal.decimated(by: 0)) { XCTAssertTrue($0 is HNASError) }
    }

    func testFramesArePaddedWithZerosOrTruncated() throws {
        let matrix = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try MFCCPipeline.fit(matrix, toFrames: 5).scalars, [1, 2, 3, 0, 0, 4, 5, 6, 0, 0])
        XCTAssertEqual(try MFCCPipeline.fit(matrix, toFrames: 2).scalars, [1, 2, 4, 5])
        XCTAssertEqual(try MFCCPipeline.fit(matrix, toFrames: 3), matrix)
    }

    func testInvalidParametersAndEmptySignalsAreTypedErrors() throws {
        var parameters = MFCCParameters()
        parameters.coefficientCount = 129
        XCTAssertThrowsError(try MFCCExtractor(parameters)) { XCTAssertTrue("\($0)".contains("--n-mfcc")) }
        parameters = MFCCParameters()
        parameters.sampleRate = 0
        XCTAssertThrowsError(try MFCCExtractor(parameters)) { XCTAssertTrue($0 is HNASError) }
        XCTAssertThrowsError(try MFCCPipeline(decimation: 0)) { XCTAssertTrue("\($0)".contains("--decimate")) }
        XCTAssertThrowsError(try MFCCPipeline(frameCount: 0)) { XCTAssertTrue("\($0)".contains("--frames")) }
        XCTAssertThrowsError(try MFCCExtractor().coefficients(of: [])) { XCTAssertTrue($0 is HNASError) }
    }

    /// Threads share one extractor (and FFTW plan); results must not depend on interleaving.
    func testConcurrentUseGivesTheSameResults() throws {
        let extractor = try MFCCExtractor()
        let signal = (0 ..< 6000).map { Float(sin(Double($0) * 0.37) * 0.3) }
        let expected = try extractor.coefficients(of: signal)
        let results = UnsafeMutableBufferPointer<Tensor?>.allocate(capacity: 8)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            results[index] = try? extractor.coefficients(of: signal)
        }
        XCTAssertTrue(results.allSatisfy { $0 == expected })
    }
}

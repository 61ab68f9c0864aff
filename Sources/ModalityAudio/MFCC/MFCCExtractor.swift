import Foundation
import HNASKit

/// Mel-frequency cepstral coefficients exactly as librosa 0.7.0's `feature.mfcc` computes them.
///
/// For a mono signal x of n samples and the defaults of `MFCCParameters`:
/// 1. pad `fftLength / 2` samples on both sides by reflection about the end samples (NumPy
///    `reflect`: the edge sample is not repeated; short signals are reflected repeatedly);
/// 2. frames t = 0 ..< 1 + ⌊n / hop⌋, frame t = padded[hop·t ..< hop·t + fftLength] times a
///    periodic Hann window w[i] = 0.5 − 0.5·cos(2πi / fftLength);
/// 3. power spectrum |FFT|² (FFTW, single precision);
/// 4. Slaney mel filterbank with area normalisation (`MelFilterbank`);
/// 5. dB: 10·log10(max(powerFloor, S)) (reference power 1), then clipped from below at the
///    clip's global maximum minus `dynamicRange`;
/// 6. orthonormal DCT-II over the mel axis, first `coefficientCount` rows, no liftering.
///
/// Steps 4–6 accumulate in Double and round once to Float, which keeps the result within
/// ~1e-4 dB of librosa's float32/float64 mix. An extractor is immutable after `init` and may be
/// shared by threads; each call allocates its own FFT buffers.
public final class MFCCExtractor: Sendable {
    /// The settings this extractor was built with.
    public let parameters: MFCCParameters
    /// The mel filters (exposed for tests and inspection).
    public let filterbank: MelFilterbank
    private let fft: RealFFT
    private let window: [Double]
    /// DCT-II basis, `coefficientCount × melBandCount`, row-major, orthonormal scaling included.
    private let dctBasis: [Double]

    /// Prepares the window, filters, DCT basis and FFT plan for `parameters`.
    /// - Throws: `HNASError` when the parameters are inconsistent (see `MFCCParameters.validate`).
    public init(_ parameters: MFCCParameters = MFCCParameters()) throws {
        try parameters.validate()
        self.parameters = parameters
        let length = parameters.fftLength
        filterbank = MelFilterbank(sampleRate: parameters.sampleRate, fftLength: length,
                                   bandCount: parameters.melBandCount, minFrequency: parameters.minFrequency,
                                   maxFrequency: parameters.maxFrequency)
        fft = RealFFT.ofLength(length)
        window = (0 ..< length).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(length)) }
        let bands = parameters.melBandCount
        dctBasis = (0 ..< parameters.coefficientCount).flatMap { k in
            let scale = (k == 0 ? 1.0 : 2.0).squareRoot() / Double(bands).squareRoot()
            return (0 ..< bands).map { m in scale * cos(Double.pi * Double(k) * Double(2 * m + 1) / Double(2 * bands)) }
        }
    }

    /// The number of frames (columns) `coefficients(of:)` returns for `sampleCount` ≥ 1 samples:
    /// the frames that fit in the padded signal, 1 + ⌊n / hop⌋ for an even FFT length.
    public func frameCount(forSampleCount sampleCount: Int) -> Int {
        let paddedCount = sampleCount + 2 * (parameters.fftLength / 2)
        return 1 + (paddedCount - parameters.fftLength) / parameters.hopLength
    }

    /// The MFCC matrix of `samples` as a `[coefficientCount, frames]` tensor (row = coefficient).
    /// - Throws: `HNASError` when `samples` is empty.
    public func coefficients(of samples: [Float]) throws -> Tensor {
        guard !samples.isEmpty else {
            throw HNASError.op("MFCC", why: "the signal has no samples")
        }
        let frames = frameCount(forSampleCount: samples.count)
        let decibels = melDecibels(of: samples, frames: frames)
        let bands = parameters.melBandCount
        let count = parameters.coefficientCount
        var result = [Float](repeating: 0, count: count * frames)
        for k in 0 ..< count {
            for t in 0 ..< frames {
                var sum = 0.0
                for m in 0 ..< bands {
                    sum += dctBasis[k * bands + m] * decibels[t * bands + m]
                }
                result[k * frames + t] = Float(sum)
            }
        }
        return try Tensor(shape: [count, frames], scalars: result)
    }

    /// Steps 1–5: the clipped dB mel spectrogram, frame-major (`frames × melBandCount`).
    private func melDecibels(of samples: [Float], frames: Int) -> [Double] {
        let length = parameters.fftLength
        let bands = parameters.melBandCount
        let workspace = fft.makeWorkspace()
        var power = [Float](repeating: 0, count: fft.binCount)
        var decibels = [Double](repeating: 0, count: frames * bands)
        let padded = Self.reflectPadded(samples, by: length / 2)
        padded.withUnsafeBufferPointer { signal in
            for t in 0 ..< frames {
                let start = t * parameters.hopLength
                for i in 0 ..< length {
                    workspace.input[i] = Float(Double(signal[start + i]) * window[i])
                }
                power.withUnsafeMutableBufferPointer { spectrum in
                    fft.powerSpectrum(workspace, into: spectrum.baseAddress!)
                    decibels.withUnsafeMutableBufferPointer { out in
                        filterbank.apply(spectrum.baseAddress!, into: out.baseAddress! + t * bands)
                    }
                }
            }
        }
        let floor = parameters.powerFloor
        var loudest = -Double.infinity
        for index in decibels.indices {
            decibels[index] = 10 * log10(max(floor, decibels[index]))
            loudest = max(loudest, decibels[index])
        }
        let threshold = loudest - parameters.dynamicRange
        for index in decibels.indices where decibels[index] < threshold {
            decibels[index] = threshold
        }
        return decibels
    }

    /// `samples` with `padding` mirrored samples added on both sides (NumPy `np.pad(…, 'reflect')`).
    static func reflectPadded(_ samples: [Float], by padding: Int) -> [Float] {
        let count = samples.count
        var padded = [Float](repeating: 0, count: count + 2 * padding)
        padded.replaceSubrange(padding ..< padding + count, with: samples)
        for offset in 0 ..< padding {
            padded[offset] = samples[reflectedIndex(offset - padding, count: count)]
            padded[padding + count + offset] = samples[reflectedIndex(count + offset, count: count)]
        }
        return padded
    }

    /// Maps a position of the reflect-padded signal to a sample index: NumPy's `reflect` mode,
    /// which for any pad width equals mirroring with period 2(count − 1).
    static func reflectedIndex(_ position: Int, count: Int) -> Int {
        if position >= 0 && position < count { return position }
        guard count > 1 else { return 0 }
        let period = 2 * (count - 1)
        var index = position % period
        if index < 0 { index += period }
        return index >= count ? period - index : index
    }
}

import HNASKit

/// The settings of an MFCC computation. The defaults are librosa 0.7.0's `feature.mfcc`
/// defaults with the original AV-MNIST loader's sample rate (8000 Hz) and 20 coefficients.
public struct MFCCParameters: Equatable, Sendable {
    /// The rate the mel filters are placed for. The original passes 8000 whatever the true rate
    /// of the (decimated) signal is; only the filter placement depends on it.
    public var sampleRate: Double = 8000
    /// Number of cepstral coefficients kept (rows of the result).
    public var coefficientCount = 20
    /// FFT and window length in samples.
    public var fftLength = 2048
    /// Samples between the starts of consecutive frames.
    public var hopLength = 512
    /// Number of mel bands.
    public var melBandCount = 128
    /// Lowest filter edge in Hz.
    public var minFrequency = 0.0
    /// Highest filter edge in Hz; `nil` means the Nyquist frequency `sampleRate / 2`.
    public var maxFrequency: Double? = nil
    /// Floor under the mel power before taking the logarithm (librosa `amin`).
    public var powerFloor = 1e-10
    /// Dynamic range kept below the clip's loudest band, in dB (librosa `top_db`).
    public var dynamicRange = 80.0

    public init() {}

    /// Checks the values make sense together.
    /// - Throws: `HNASError` naming the offending setting.
    public func validate() throws {
        guard sampleRate > 0, sampleRate.isFinite else {
            throw HNASError.argument("--sample-rate", why: "must be a positive number, got \(sampleRate)")
        }
        guard fftLength >= 2 else {
            throw HNASError.argument("FFT length", why: "must be at least 2, got \(fftLength)")
        }
        guard hopLength >= 1 else {
            throw HNASError.argument("hop length", why: "must be at least 1, got \(hopLength)")
        }
        guard melBandCount >= 1 else {
            throw HNASError.argument("mel band count", why: "must be at least 1, got \(melBandCount)")
        }
        guard (1 ... melBandCount).contains(coefficientCount) else {
            throw HNASError.argument("--n-mfcc", why: "must be between 1 and the \(melBandCount) mel bands, got \(coefficientCount)")
        }
        let nyquist = sampleRate / 2
        guard minFrequency >= 0, minFrequency < (maxFrequency ?? nyquist), (maxFrequency ?? nyquist) <= nyquist else {
            throw HNASError.argument("mel frequency range", why: "need 0 <= min < max <= \(nyquist) Hz")
        }
        guard powerFloor > 0, dynamicRange >= 0 else {
            throw HNASError.argument("dB conversion", why: "power floor must be positive and dynamic range non-negative")
        }
    }
}

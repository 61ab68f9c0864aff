import Foundation

/// Triangular mel filters on the Slaney mel scale with area normalisation — librosa's
/// `filters.mel(htk=False, norm=1 / 'slaney')`, stored as float32 like librosa's.
///
/// The scale is linear below 1 kHz (mel = f / (200/3)) and logarithmic above
/// (mel = 15 + ln(f / 1000) / (ln 6.4 / 27)). `bandCount + 2` edges are spaced evenly in mel
/// between `minFrequency` and `maxFrequency`; filter i rises from edge i to edge i+1, falls to
/// edge i+2, and is scaled by 2 / (edge[i+2] − edge[i]) so every filter has the same area.
/// The weights are computed in Double and rounded to Float in the same two steps as librosa
/// (triangle, then triangle × normaliser), so they equal librosa's float32 matrix.
public struct MelFilterbank: Equatable, Sendable {
    /// One filter: its nonzero weights, which cover FFT bins `firstBin ..< firstBin + weights.count`.
    public struct Filter: Equatable, Sendable {
        public let firstBin: Int
        public let weights: [Float]
    }

    /// The filters, lowest band first.
    public let filters: [Filter]
    /// The number of FFT bins a spectrum must have (`fftLength / 2 + 1`).
    public let binCount: Int

    /// Builds `bandCount` filters for power spectra of `fftLength`-point FFTs at `sampleRate`.
    /// `maxFrequency` defaults to the Nyquist frequency `sampleRate / 2`.
    public init(sampleRate: Double, fftLength: Int, bandCount: Int, minFrequency: Double = 0, maxFrequency: Double? = nil) {
        precondition(sampleRate > 0 && fftLength >= 2 && bandCount >= 1, "invalid mel filterbank parameters")
        binCount = fftLength / 2 + 1
        let binWidth = 1.0 / (Double(fftLength) * (1.0 / sampleRate))
        let binFrequencies = (0 ..< binCount).map { Double($0) * binWidth }

        let lowMel = Self.mel(fromHertz: minFrequency)
        let highMel = Self.mel(fromHertz: maxFrequency ?? sampleRate / 2)
        let edgeCount = bandCount + 2
        let step = (highMel - lowMel) / Double(edgeCount - 1)
        let edges = (0 ..< edgeCount).map { index in
            Self.hertz(fromMel: index == edgeCount - 1 ? highMel : Double(index) * step + lowMel)
        }

        filters = (0 ..< bandCount).map { band in
            let (low, centre, high) = (edges[band], edges[band + 1], edges[band + 2])
            let normaliser = 2.0 / (high - low)
            let triangle = binFrequencies.map { frequency -> Float in
                let rising = (frequency - low) / (centre - low)
                let falling = (high - frequency) / (high - centre)
                return Float(max(0, min(rising, falling)))
            }
            guard let first = triangle.firstIndex(where: { $0 != 0 }),
                  let last = triangle.lastIndex(where: { $0 != 0 }) else {
                return Filter(firstBin: 0, weights: [])  // narrower than one bin: an all-zero filter, as in librosa
            }
            return Filter(firstBin: first, weights: triangle[first ... last].map { Float(Double($0) * normaliser) })
        }
    }

    /// Applies the filters to one power spectrum of `binCount` values, accumulating in Double.
    func apply(_ spectrum: UnsafePointer<Float>, into bands: UnsafeMutablePointer<Double>) {
        for (band, filter) in filters.enumerated() {
            var sum = 0.0
            for (offset, weight) in filter.weights.enumerated() {
                sum += Double(weight) * Double(spectrum[filter.firstBin + offset])
            }
            bands[band] = sum
        }
    }

    private static let linearStep = 200.0 / 3
    private static let logThresholdHertz = 1000.0
    private static let logThresholdMel = logThresholdHertz / linearStep
    private static let logStep = log(6.4) / 27

    /// Slaney mel of a frequency in Hz.
    public static func mel(fromHertz hertz: Double) -> Double {
        hertz >= logThresholdHertz
            ? logThresholdMel + log(hertz / logThresholdHertz) / logStep
            : hertz / linearStep
    }

    /// Frequency in Hz of a Slaney mel value.
    public static func hertz(fromMel mel: Double) -> Double {
        mel >= logThresholdMel
            ? logThresholdHertz * exp(logStep * (mel - logThresholdMel))
            : linearStep * mel
    }
}

import HNASKit

/// A mono sound: its samples as Float in [-1, 1] (for integer sources) and the rate they are sampled at.
///
/// This is what `SoundFileReader` returns and what the MFCC chain consumes; multi-channel files
/// are already mixed down (see `SoundFileReader.read(_:)`).
public struct AudioSignal: Equatable, Sendable {
    /// The samples, oldest first.
    public var samples: [Float]
    /// Samples per second. Stays a `Double` because decimation makes it fractional (8000 / 3).
    public var sampleRate: Double
    /// How many channels the source file had before mixing down to mono.
    public var sourceChannels: Int

    public init(samples: [Float], sampleRate: Double, sourceChannels: Int = 1) {
        self.samples = samples
        self.sampleRate = sampleRate
        self.sourceChannels = sourceChannels
    }

    /// Keeps samples 0, `factor`, 2·`factor`, … and divides the rate by `factor`.
    ///
    /// This is the original AV-MNIST decimation (`wave[::3]`): plain sample dropping with **no**
    /// anti-alias filter, so content above the new Nyquist frequency folds down. It is kept
    /// because the pretrained audio supernet was trained on exactly these features.
    /// - Throws: `HNASError` when `factor` is not positive.
    public func decimated(by factor: Int) throws -> AudioSignal {
        guard factor >= 1 else {
            throw HNASError.argument("decimation factor", why: "must be at least 1, got \(factor)")
        }
        guard factor > 1 else { return self }
        let kept = stride(from: 0, to: samples.count, by: factor).map { samples[$0] }
        return AudioSignal(samples: kept, sampleRate: sampleRate / Double(factor), sourceChannels: sourceChannels)
    }
}

import HNASKit

/// Sound file → mono → decimation → MFCC → fixed number of frames: the original AV-MNIST audio
/// features (`wav2mfcc`), before the loader's final normalisation.
///
/// With the defaults: decimate by 3 (sample dropping), 20 MFCCs with the filters placed for
/// 8000 Hz, right-padded with zeros to 20 frames. A clip with more frames than `frameCount`
/// (n ≥ 10240 decimated samples) crashes the original (negative padding); hnas keeps its first
/// `frameCount` frames instead.
public struct MFCCPipeline: Sendable {
    /// The MFCC computation (shared, thread-safe).
    public let extractor: MFCCExtractor
    /// Keep every `decimation`-th sample before the MFCC (1 = no decimation).
    public let decimation: Int
    /// Frames of the result (zero-padded or truncated); `nil` keeps the clip's own frame count.
    public let frameCount: Int?

    /// - Throws: `HNASError` when a setting is out of range.
    public init(parameters: MFCCParameters = MFCCParameters(), decimation: Int = 3, frameCount: Int? = 20) throws {
        guard decimation >= 1 else {
            throw HNASError.argument("--decimate", why: "must be at least 1, got \(decimation)")
        }
        if let frameCount, frameCount < 1 {
            throw HNASError.argument("--frames", why: "must be at least 1, got \(frameCount)")
        }
        extractor = try MFCCExtractor(parameters)
        self.decimation = decimation
        self.frameCount = frameCount
    }

    /// The `[coefficients, frames]` features of a decoded signal.
    /// - Throws: `HNASError` when the signal is empty.
    public func features(of signal: AudioSignal) throws -> Tensor {
        let mfcc = try extractor.coefficients(of: signal.decimated(by: decimation).samples)
        guard let frameCount else { return mfcc }
        return try Self.fit(mfcc, toFrames: frameCount)
    }

    /// The `[coefficients, frames]` features of the sound file at `path`.
    /// - Throws: `HNASError` naming the file when it cannot be read or holds no samples.
    public func features(ofFile path: String) throws -> Tensor {
        let signal = try SoundFileReader.read(path)
        do {
            return try features(of: signal)
        } catch let error as HNASError {
            throw HNASError.file(path, "cannot compute MFCC of", why: error.why)
        }
    }

    /// Right-pads the frame axis (columns) of a `[rows, frames]` matrix with zeros, or keeps
    /// only its first `frames` columns.
    public static func fit(_ matrix: Tensor, toFrames frames: Int) throws -> Tensor {
        guard matrix.shape.count == 2 else {
            throw HNASError.op("MFCCPipeline.fit", why: "expected a [coefficients, frames] matrix, got shape \(matrix.shape)")
        }
        let (rows, columns) = (matrix.shape[0], matrix.shape[1])
        var scalars = [Float](repeating: 0, count: rows * frames)
        let kept = min(columns, frames)
        for row in 0 ..< rows {
            for column in 0 ..< kept {
                scalars[row * frames + column] = matrix.scalars[row * columns + column]
            }
        }
        return try Tensor(shape: [rows, frames], scalars: scalars)
    }
}

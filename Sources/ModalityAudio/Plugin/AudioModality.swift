import Foundation
import HNASKit

/// The `audio` modality: a sound file becomes the MFCC tensor the original feeds its audio backbone.
///
/// Its one preprocessing (AV-MNIST's, the only dataset with audio; it takes no options): `MFCCPipeline`
/// defaults (decimate by 3, 20 MFCCs at an assumed 8000 Hz, 20 frames), then the loader's `ToTensor` + `Normalize(0.5, 0.5)`,
/// which on a float array means x ↦ 2x − 1 on the raw dB-scale values (padded cells become −1).
/// The result is a `[1, 20, 20]` tensor indexed [channel][coefficient][frame]. The values are
/// in the hundreds, not in [−1, 1]; that is what the pretrained audio supernet expects.
public struct AudioModality: Modality {
    public let name = "audio"
    private let pipeline: MFCCPipeline

    /// - Throws: `HNASError` only if the built-in AV-MNIST settings were invalid.
    public init() throws {
        pipeline = try MFCCPipeline()
    }

    /// - Throws: `HNASError` naming the file when it cannot be read or decoded, or an option (it takes none).
    public func load(_ url: URL, options: ModalityOptions) throws -> Tensor {
        try options.requireKeys(in: [], modality: name)
        let features: Tensor
        do { features = try pipeline.features(ofFile: url.path) } catch let error as HNASError where error.subject == .file(url.path) {
            throw HNASError(error.what, .file(url.relativePath), why: error.why) // the path as the user gave it
        }
        return try Tensor(shape: [1] + features.shape, scalars: features.scalars.map { 2 * $0 - 1 })
    }
}

import Foundation
import HNASKit
import ModalityAudio
import XCTest

/// The registered `audio` modality produces the original AV-MNIST audio tensor.
final class AudioModalityTests: XCTestCase {
    func makeModality() throws -> any Modality {
        var registry = Registry()
        ModalityAudio.register(into: &registry)
        XCTAssertEqual(registry.modalities.names, ["audio"])
        return try registry.modalities.make("audio")
    }

    /// [1, 20, 20] = 2·MFCC − 1, zero-padded frames becoming −1, long clips truncated to 20 frames.
    func testAVMNISTTensorIsTwiceTheFittedMFCCMinusOne() throws {
        let modality = try makeModality()
        for name in ["speech_8k_mono_pcm16.wav", "noise_44k_mono_pcm16.wav", "tone_8k_short_pcm16.wav"] {
            let fixture = try AudioFixtures.file(name)
            let tensor = try modality.load(URL(fileURLWithPath: fixture.path), options: [:])
            XCTAssertEqual(tensor.shape, [1, 20, 20])
            let frames = fixture.mfcc[0].count
            for k in 0 ..< 20 {
                for t in 0 ..< 20 {
                    let expected = t < frames ? 2 * Float(fixture.mfcc[k][t]) - 1 : -1
                    XCTAssertEqual(tensor.scalars[k * 20 + t], expected, accuracy: 2e-3, "\(name) [\(k)][\(t)]")
                }
            }
        }
    }

    func testUnknownOptionAndBrokenFileAreTypedErrors() throws {
        let modality = try makeModality()
        let good = URL(fileURLWithPath: try AudioFixtures.file("speech_8k_mono_pcm16.wav").path)
        XCTAssertThrowsError(try modality.load(good, options: ["coefficients": 13])) { error in
            XCTAssertEqual((error as? HNASError)?.subject, .argument("coefficients"))
        }
        let broken = AudioFixtures.brokenPath("text_named.wav")
        XCTAssertThrowsError(try modality.load(URL(fileURLWithPath: broken), options: [:])) { error in
            XCTAssertEqual((error as? HNASError)?.subject, .file(broken))
        }
    }
}

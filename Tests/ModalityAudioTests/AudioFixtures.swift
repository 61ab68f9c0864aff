import Foundation
import XCTest

/// The committed fixtures of `Scripts/make_audio_fixtures.py` and its librosa reference values.
enum AudioFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// One sound file and what librosa (0.7.0 semantics) makes of it.
    struct File: Decodable {
        let file: String
        let sampleRate: Int
        let channels: Int
        let frames: Int
        /// The first 32 samples of the mono mix-down, as `librosa.load(sr=None, mono=True)` gives them.
        let monoHead: [Float]
        /// The sum of all mono samples (in float64).
        let monoSum: Double
        /// The original's features: `mfcc(y[::3], sr=8000, n_mfcc=20)`, rows = coefficients.
        let mfcc: [[Double]]
        /// Only for the stereo chirp: `mfcc(y, sr=16000, n_mfcc=13)` without decimation.
        let mfcc16kNoDecimation13: [[Double]]?

        var path: String { directory.appendingPathComponent(file).path }
    }

    /// librosa's `filters.mel` matrix, one sparse row per band.
    struct Filterbank: Decodable {
        struct Row: Decodable {
            let start: Int
            let values: [Double]
        }
        let sampleRate: Double
        let nFFT: Int
        let nMels: Int
        let rows: [Row]
    }

    struct Reference: Decodable {
        let librosa: String
        let files: [File]
        let filterbanks: [Filterbank]
        /// File names under `Fixtures/broken/`; each must fail to load with a typed error.
        let broken: [String]
    }

    static let reference: Reference = {
        let url = directory.appendingPathComponent("mfcc_reference.json")
        do {
            return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
        } catch {
            fatalError("cannot load \(url.path) (run Scripts/make_audio_fixtures.py): \(error)")
        }
    }()

    static func file(_ name: String) throws -> File {
        try XCTUnwrap(reference.files.first { $0.file == name }, "no fixture \(name)")
    }

    static func brokenPath(_ name: String) -> String {
        directory.appendingPathComponent("broken").appendingPathComponent(name).path
    }

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-audio-\(UUID())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

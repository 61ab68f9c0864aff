import HNASKit
import ModalityAudio
import XCTest

/// The benchmark's bookkeeping and errors (its speed is measured by `hnas features mfcc --benchmark`, not here).
final class MFCCBenchmarkTests: XCTestCase {
    func testCountsEverySoundFileOfTheFolder() throws {
        let result = try MFCCBenchmark.run(directory: AudioFixtures.directory.path, pipeline: try MFCCPipeline(),
                                           threads: 2, repeats: 2)
        XCTAssertEqual(result.files, AudioFixtures.reference.files.count)
        XCTAssertEqual(result.threads, 2)
        XCTAssertEqual(result.repeats, 2)
    }

    func testFailuresAreTypedErrors() throws {
        let pipeline = try MFCCPipeline()
        let broken = AudioFixtures.directory.appendingPathComponent("broken").path
        XCTAssertThrowsError(try MFCCBenchmark.run(directory: broken, pipeline: pipeline, threads: 2, repeats: 1)) { error in
            guard case .file(let path)? = (error as? HNASError)?.subject else { return XCTFail("\(error)") }
            XCTAssertTrue(path.hasPrefix(broken), path)
        }
        let empty = try AudioFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: empty) }
        XCTAssertThrowsError(try MFCCBenchmark.run(directory: empty.path, pipeline: pipeline, threads: 1, repeats: 1)) {
            XCTAssertTrue("\($0)".contains("no .wav"), "\($0)")
        }
        XCTAssertThrowsError(try MFCCBenchmark.run(directory: empty.path, pipeline: pipeline, threads: 0, repeats: 1)) {
            XCTAssertEqual(($0 as? HNASError)?.subject, .argument("--threads"))
        }
    }
}

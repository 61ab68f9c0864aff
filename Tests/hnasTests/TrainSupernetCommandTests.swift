import Foundation
import XCTest

/// `hnas train-supernet`'s default batch follows the pipeline's loader batch when it is smaller than 64
/// (MM-IMDB: 16 posters of 224² per step, not 64).
final class TrainSupernetCommandTests: XCTestCase {
    func testMMIMDBTrainsWithItsLoaderBatchByDefault() throws {
        let folder = try HNASProcess.temporaryFolder(for: self)
        let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("StockPipelinesTests/Fixtures/mmimdb")
        let run = try HNASProcess.run(["train-supernet", "--dataset", "mmimdb", "--modality", "image", "--data", data.path,
                                       "--samples", "2", "--epochs", "1", "--threads", "1",
                                       "--out", folder.appendingPathComponent("w.safetensors").path])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue((run.stdout + run.stderr).contains("1 epochs, batch 16, 1 thread(s)"), run.stdout + run.stderr)
    }
}

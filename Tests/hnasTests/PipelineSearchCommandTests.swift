import Foundation
import XCTest

/// The bad inputs a user of `hnas search --dataset mmimdb|memes` meets, each one error line with nothing written
/// (the searches themselves run end to end in StockPipelinesTests, on the same fixtures).
final class PipelineSearchCommandTests: XCTestCase {
    private static let mmimdb = "Tests/StockPipelinesTests/Fixtures/mmimdb"
    private static let memes = "Tests/StockPipelinesTests/Fixtures/memes"

    /// A search YAML of the original's kind naming `dataset`, with a narrow fusion network and one calibration batch.
    private func config(_ dataset: String, in folder: URL, extra: String = "") throws -> String {
        let url = folder.appendingPathComponent("search_\(dataset).yml")
        try "dataset: '\(dataset)'\nC: 8\nL: 4\npost_bn_calibration_batch_num: 1\n\(extra)".write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// The flags of a tiny search of `dataset` into `out`, backbone weights in `weights`.
    private func tiny(_ dataset: String, data: String, out: URL, weights: URL, generations: Int = 1) -> [String] {
        ["search", "--dataset", dataset, "--data", data, "--out", out.path, "--weights-dir", weights.path,
         "--generations", "\(generations)", "--population", "2", "--fusion-epochs", "1", "--supernet-epochs", "1",
         "--fixed-epochs", "1", "--threads", "2"]
    }

    // MARK: - Bad input

    func testAFolderOfAnotherPipelineNamesWhatIsMissing() throws {
        let folder = try HNASProcess.temporaryFolder(for: self)
        let out = folder.appendingPathComponent("run")
        let run = try HNASProcess.run(tiny("mmimdb", data: Self.memes, out: out, weights: folder))
        assertOneErrorLine(run, containing: ["mmimdb_split.json"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "nothing written")
    }

    func testTextWeightsOfTheWrongShapeListTheTensors() throws {
        let folder = try HNASProcess.temporaryFolder(for: self)
        let text = folder.appendingPathComponent("maxout-mmimdb-text.safetensors")
        let trained = try HNASProcess.run(["train-text", "--dataset", "mmimdb", "--data", Self.mmimdb, "--epochs", "1",
                                           "--batch-size", "4", "--out", text.path])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        let run = try HNASProcess.run(tiny("memes", data: Self.memes, out: folder.appendingPathComponent("run"),
                                           weights: folder.appendingPathComponent("weights"))
                                      + ["--text-weights", text.path])
        assertOneErrorLine(run, containing: [text.path, "op_list.0.lin.weight", "hid2val.weight"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("run/config.json").path), "nothing written")
    }

    func testADatasetThatContradictsTheConfigIsAnError() throws {
        let folder = try HNASProcess.temporaryFolder(for: self)
        let yaml = try config("imdb", in: folder)
        let out = folder.appendingPathComponent("run")
        let run = try HNASProcess.run(["search", "--dataset", "memes", "--data", Self.memes, "--config", yaml, "--out", out.path])
        assertOneErrorLine(run, containing: ["--dataset", "'memes'", "'imdb'", yaml])
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "nothing written")
        let unknown = try HNASProcess.run(["search", "--dataset", "cifar", "--out", out.path])
        assertOneErrorLine(unknown, containing: ["cifar", "avmnist", "mmimdb", "memes"])
    }

    func testUnknownConfigKeysAreWarnedAboutByName() throws {
        let folder = try HNASProcess.temporaryFolder(for: self)
        let yaml = try config("memes_politics", in: folder, extra: "mystery_key: 1\ndir_roi: ./rois\nfusion_epochs: 0\n")
        let run = try HNASProcess.run(["search", "--data", Self.memes, "--config", yaml, "--out", folder.appendingPathComponent("run").path])
        XCTAssertNotEqual(run.status, 0)
        XCTAssertEqual(run.errorLines.count, 2, run.stderr)
        XCTAssertEqual(run.errorLines.first, "warning: \(yaml): unknown key 'mystery_key' (not a key of the original's search configs; ignored)")
        XCTAssertTrue(run.errorLines.last?.hasPrefix("error: ") == true && run.stderr.contains("fusion_epochs: must be at least 1"), run.stderr)
    }
}

import Foundation
import HNASKit
import XCTest
@testable import hnas

/// `hnas train-text` on the tiny MM-IMDB and Memes fixtures.
final class TrainTextCommandTests: XCTestCase {
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    func testTrainsAndWritesOriginalNamedWeights() throws {
        for (dataset, inputs, classes) in [("mmimdb", 300, 23), ("memes", 77, 3)] {
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-train-text-\(UUID().uuidString).safetensors")
            addTeardownBlock { try? FileManager.default.removeItem(at: out) }
            let data = root.appendingPathComponent("Tests/HNASKitTests/Fixtures/\(dataset)").path
            let command = try TrainTextCommand.parse(["--dataset", dataset, "--data", data, "--epochs", "2", "--batch-size", "2",
                                                      "--threads", "1", "--out", out.path])
            try command.run()
            let file = try SafeTensors.read(from: out)
            XCTAssertEqual(file.tensors["op_list.0.lin.weight"]?.shape, [512, inputs], dataset)
            XCTAssertEqual(file.tensors["hid2val.weight"]?.shape, [classes, 256], dataset)
            XCTAssertEqual(file.tensors.count, 16, dataset)
            XCTAssertEqual(file.metadata["epochs"], "2", dataset)
            // eval-text reads the weights back strictly and scores the same test split.
            try EvalTextCommand.parse(["--dataset", dataset, "--data", data, "--weights", out.path, "--threads", "1"]).run()
        }
        XCTAssertThrowsError(try TrainTextCommand.parse(["--dataset", "avmnist", "--data", "x"]).run()) { error in
            XCTAssertTrue("\(error)".contains("no Maxout text backbone"), "\(error)")
        }
        // Memes weights are refused for MM-IMDB by their metadata tag, before their shapes are compared.
        let memesWeights = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-eval-text-\(UUID().uuidString).safetensors")
        addTeardownBlock { try? FileManager.default.removeItem(at: memesWeights) }
        try TrainTextCommand.parse(["--dataset", "memes", "--data", root.appendingPathComponent("Tests/HNASKitTests/Fixtures/memes").path,
                                    "--epochs", "1", "--batch-size", "2", "--out", memesWeights.path]).run()
        XCTAssertThrowsError(try EvalTextCommand.parse(["--dataset", "mmimdb", "--weights", memesWeights.path,
                                                        "--data", root.appendingPathComponent("Tests/HNASKitTests/Fixtures/mmimdb").path]).run()) { error in
            XCTAssertTrue("\(error)".contains(memesWeights.lastPathComponent) && "\(error)".contains("trained for dataset 'memes', not 'mmimdb'"),
                          "\(error)")
        }
    }
}

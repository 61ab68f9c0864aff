import Foundation
import HNASKit
import XCTest
@testable import hnas

/// `hnas infer` end to end on the once-for-all fixture weights.
final class InferCommandTests: XCTestCase {
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    func testWritesTheSubnetLogitsAndItsFusionFeatures() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-infer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let weights = root.appendingPathComponent("Tests/HNASKitTests/Fixtures/ofa/avmnist.safetensors").path
        let arch = root.appendingPathComponent("Examples/avmnist-best-3.json").path
        var g = SeededGenerator(seed: 1)
        let x = try Tensor(shape: [3, 1, 20, 20], scalars: (0..<1200).map { _ in Float(g.normal()) })
        try NPYFile(shape: x.shape, elements: .float32(x.scalars)).write(to: folder.appendingPathComponent("x.npy"))
        var command = try InferCommand.parse([
            "--dataset", "avmnist", "--modality", "audio", "--weights", weights, "--arch", arch, "--threads", "1",
            "--input", folder.appendingPathComponent("x.npy").path, "--output", folder.appendingPathComponent("y.npy").path,
            "--features", folder.appendingPathComponent("features").path,
        ])
        try command.run()

        let supernet = try StockSupernet.load(dataset: "avmnist", modality: "audio", weights: URL(fileURLWithPath: weights))
        let subnet = try supernet.extractSubnet(try Architecture.load(path: arch).backbones["audio"]!)
        subnet.eval()
        let outputs = try subnet.outputs(x)
        XCTAssertEqual(try NPYFile(contentsOf: folder.appendingPathComponent("y.npy")).tensor(), outputs.last!)
        let chosen = try OFAMobileNetV3.fusionFeatureIndices(outputCount: outputs.count, count: 4)
        for (k, index) in chosen.enumerated() {
            let file = folder.appendingPathComponent("features/feature_\(k).npy")
            XCTAssertEqual(try NPYFile(contentsOf: file).tensor(), outputs[index], "feature \(k)")
        }
        XCTAssertThrowsError(try InferCommand.parse(["--dataset", "avmnist", "--modality", "audio", "--weights", weights,
                                                     "--arch", arch, "--input", "/nonexistent.npy", "--output", "y.npy"]).run())
    }
}

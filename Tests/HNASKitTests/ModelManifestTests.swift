import Foundation
import XCTest
@testable import HNASKit

/// `model.json`: written and read back, and a model directory missing a part is refused with an
/// error naming the part.
final class ModelManifestTests: XCTestCase {
    private func manifest() -> ModelManifest {
        ModelManifest(dataset: "mmimdb", multiLabel: true, classNames: MMIMDB.genres, threshold: 0.3, inputs: [
            .init(modality: "image", searched: true, backbone: "ofa-mbv3-mmimdb-image",
                  config: BackboneConfig(["ks": [3], "e": [4], "d": [2]]), weights: "image.safetensors", fusionFeatures: 4,
                  inputShape: [3, 224, 224], preprocessing: ["color": "rgb", "resize": "tensor-bilinear-rounded", "size": 224]),
            .init(modality: "text", searched: false, backbone: "maxout-mmimdb-text", config: BackboneConfig([:]),
                  weights: "text.safetensors", fusionFeatures: 2, inputShape: [300]),
        ], metric: 41.5, cost: Cost(latencyMs: 3.5, energyMJ: nil), device: "tx2")
    }

    private func folder(with files: [String]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        for file in files { try Data().write(to: url.appendingPathComponent(file)) }
        return url
    }

    func testRoundTripsAndNamesItsFiles() throws {
        let written = manifest()
        let dir = try folder(with: ["arch.json", "image.safetensors", "text.safetensors", "fusion.safetensors"])
        try written.write(into: dir)
        XCTAssertEqual(try ModelManifest.read(directory: dir), written)
        XCTAssertEqual(written.files, ["model.json", "arch.json", "image.safetensors", "text.safetensors", "fusion.safetensors"])
        XCTAssertEqual(written.metricName, "weighted F1")
        let json = String(decoding: try Data(contentsOf: dir.appendingPathComponent("model.json")), as: UTF8.self)
        XCTAssertTrue(json.contains("\"fusion_features\" : 4") && json.contains("\"format\" : \"hnas-model-1\""), json)
        // The preprocessing options are written as the JSON object they are; an input without them (a manifest
        // written before they were recorded) reads back as nil.
        XCTAssertTrue(json.contains("\"size\" : 224"), json)
        let read = try ModelManifest.read(directory: dir)
        XCTAssertEqual(read.inputs[0].preprocessing?["resize"], "tensor-bilinear-rounded")
        XCTAssertNil(read.inputs[1].preprocessing)
    }

    func testAMissingPartIsNamed() throws {
        let dir = try folder(with: ["arch.json", "image.safetensors", "fusion.safetensors"])
        XCTAssertThrowsError(try ModelManifest.read(directory: dir)) { XCTAssertTrue("\($0)".contains("model.json is missing"), "\($0)") }
        try manifest().write(into: dir)
        XCTAssertThrowsError(try ModelManifest.read(directory: dir)) {
            XCTAssertEqual("\($0)", "incomplete model directory '\(dir.path)': missing text.safetensors")
        }
        try FileManager.default.removeItem(at: dir.appendingPathComponent("fusion.safetensors"))
        XCTAssertThrowsError(try ModelManifest.read(directory: dir)) {
            XCTAssertTrue("\($0)".hasSuffix("missing text.safetensors, fusion.safetensors"), "\($0)")
        }
        try Data("{\"format\": \"hnas-model-1\"}".utf8).write(to: dir.appendingPathComponent("model.json"))
        XCTAssertThrowsError(try ModelManifest.read(directory: dir)) { XCTAssertTrue("\($0)".contains("'dataset' is missing"), "\($0)") }
        XCTAssertThrowsError(try ModelManifest.read(directory: dir.appendingPathComponent("nope"))) {
            XCTAssertTrue("\($0)".contains("no such folder"), "\($0)")
        }
    }
}

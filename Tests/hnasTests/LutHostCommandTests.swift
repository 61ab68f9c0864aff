import Foundation
import HardwareTX2
import HNASKit
import XCTest
@testable import hnas

/// `hnas lut profile` then `hnas lut estimate --device host --table …`, end to end.
final class LutHostCommandTests: XCTestCase {
    private let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Examples/avmnist-example.json").standardized.path

    private func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-lut-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testProfileWritesTheWholeAVMNISTSpace() throws {
        let out = try temporaryFolder().appendingPathComponent("my_device.json").path
        var command = try LutProfileCommand.parse(["--dataset", "avmnist", "--out", out, "--repeats", "1", "--warmup", "0", "--threads", "1"])
        try command.run()
        let table = try MeasuredTable.load(path: out)
        // Every backbone key of the Jetson AV-MNIST table and every fusion-operator key of the Jetson fusion table.
        XCTAssertEqual(Set(table.keys), Set(try MeasuredTable.bundled("lut_ofa_mnist_tx2").keys + MeasuredTable.bundled("lut_fusion_tx2").keys))
        XCTAssertTrue(table.entries.values.allSatisfy { $0.latencyMs > 0 })
        XCTAssertTrue(table.note?.contains("median of 1 run(s)") ?? false, table.note ?? "no note")

        // The table prices a whole model: backbones and the fusion operators (ConcatFC + SE1).
        let estimate = try LutEstimateCommand.parse(["--device", "host", "--table", out, "--dataset", "avmnist", "--arch", example, "--json"])
        let report = try JSONSerialization.jsonObject(with: Data(try estimate.report().utf8)) as? [String: Any]
        let sections = try XCTUnwrap(report?["sections"] as? [[String: Any]])
        XCTAssertEqual(sections.map { $0["title"] as? String }, ["image", "audio", "fusion"])
        let fusionRows = try XCTUnwrap(sections[2]["rows"] as? [[String: Any]])
        XCTAssertEqual(fusionRows.compactMap { $0["key"] as? String },
                       ["ConcatFC-input:1_192_16-N:1-C:192-L:16", "SE1-input:1_192_16-N:1-C:192-L:16"])
        XCTAssertEqual(report?["notes"] as? [String], [])
    }

    /// A table without energy (no RAPL): the estimate prints latency, `n/a` energy, and says why.
    func testEstimateFromAHostTableWithoutEnergyPrintsNA() throws {
        let registry = makeRegistry()
        let backbones = try registry.pipelines.make("avmnist").costedBackbones(registry: registry).map { $0.backbone }
        let keys = try ProfiledLayer.searchSpace(backbones: backbones).map(\.key)
        let path = try temporaryFolder().appendingPathComponent("host.json").path
        try MeasuredTable(entries: Dictionary(uniqueKeysWithValues: keys.map { ($0, Cost(latencyMs: 0.25, energyMJ: nil)) }),
                          name: "host", note: "energy not measured: test").write(to: path)
        let command = try LutEstimateCommand.parse(["--device", "host", "--table", path, "--dataset", "avmnist", "--arch", example])
        let text = try command.report()
        let total = text.split(separator: "\n").first { $0.hasPrefix("TOTAL") }.map(String.init) ?? ""
        XCTAssertEqual(total.split(separator: " ").map(String.init), ["TOTAL", "3.5000", "n/a"], text)   // 14 layers × 0.25 ms
        XCTAssertTrue(text.contains("note: the fusion network is not counted"), text)
        XCTAssertTrue(text.contains("table: energy not measured: test"), text)
        XCTAssertFalse(text.contains("*"), text)

        let tx2 = try LutEstimateCommand.parse(["--device", "tx2", "--table", path, "--dataset", "avmnist", "--arch", example])
        XCTAssertThrowsError(try tx2.report()) { error in XCTAssertTrue("\(error)".contains("--table"), "\(error)") }
    }
}

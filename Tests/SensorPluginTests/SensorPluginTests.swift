import Foundation
import HNASKit
import HNASSearch
import SearchDARTS
import SearchEvolution
import XCTest

/// The plugin claim: a modality, a searchable backbone, a pipeline and a device defined outside hnas (here, in
/// this test target), registered with one `register(into:)` call, run a whole search through HNASSearch's
/// public API — nothing in HNASKit or HNASSearch knows about them.
final class SensorPluginTests: XCTestCase {
    /// `count` samples per split: class k's accelerometer signal is a sine of frequency k + 1, its gyroscope
    /// signal a ramp of slope k, plus noise.
    private func writeData(to folder: URL, count: Int) throws {
        var g = SeededGenerator(seed: 9)
        for split in ["train", "test"] {
            let lines = (0..<count).map { n -> String in
                let k = n % 3
                let accel = (0..<16).map { t in String(format: "%.4f", sin(Double(k + 1) * Double(t) / 3) + 0.1 * g.normal()) }
                let gyro = (0..<16).map { t in String(format: "%.4f", Double(k) * Double(t) / 16 + 0.1 * g.normal()) }
                return "\(k),\(accel.joined(separator: ";")),\(gyro.joined(separator: ";"))"
            }
            try lines.joined(separator: "\n").write(to: folder.appendingPathComponent("\(split).csv"), atomically: true, encoding: .utf8)
        }
    }

    func testANewModalityAndPipelineRunASearchThroughTheLibrary() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-sensor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        try writeData(to: folder, count: 30)

        var registry = Registry()
        SearchEvolution.register(into: &registry)
        SearchDARTS.register(into: &registry)
        register(into: &registry)   // the test plugin: one line

        let pipeline = try registry.pipelines.make("sensor")
        var config = SearchRunConfig(pipeline: pipeline, data: folder.path, weightsDir: folder.appendingPathComponent("weights").path)
        config.fusion = "darts"
        config.fusionOptions.channels = 8
        config.fusionOptions.length = 4
        config.fusionOptions.batchSize = 8
        XCTAssertEqual(config.hardware, "sensor-board", "the pipeline's default device")
        let run = SearchRunDirectory(root: folder.appendingPathComponent("run"))
        try run.writeConfig(config)
        let runner = SearchRunner(config: config, directory: run, registry: registry)
        var lines: [String] = []
        runner.echo = { lines.append($0) }
        let state = try runner.run(resume: false)

        XCTAssertTrue(state.isFinished)
        XCTAssertFalse(state.paretoFront.isEmpty)
        XCTAssertTrue(lines.contains { $0.contains("data: 24 train / 6 validation (carved) / 30 test samples") }, lines.joined(separator: "\n"))
        for result in state.paretoFront.map({ state.archive[$0] }) {
            XCTAssertTrue((0...100).contains(result.accuracy))
            let depth = Double(result.backbones.map { $0["d"]![0] }.reduce(0, +))
            // Each backbone costs 0.01 ms per output unit: 8 per hidden layer, 3 for the head; plus 0.1 ms per fusion operator.
            XCTAssertEqual(result.cost.latencyMs - result.fusion.fusionCost.latencyMs, 0.01 * (8 * depth + 2 * 3), accuracy: 1e-9)
            let best = run.root.appendingPathComponent("best/\(result.id)")
            for name in ["arch.json", "accel.safetensors", "gyro.safetensors", "fusion.dot"] {
                XCTAssertTrue(FileManager.default.fileExists(atPath: best.appendingPathComponent(name).path), name)
            }
            // The saved subnet has exactly the layers of its depth, and loads back into a subnet of that depth.
            let saved = try SafeTensors.read(from: best.appendingPathComponent("accel.safetensors"))
            XCTAssertEqual(saved.tensors.keys.filter { $0.hasPrefix("hidden.") }.count, 2 * result.backbones[0]["d"]![0])
            let network = try SensorBackbone(inputs: 16, classes: 3).makeNetwork(seed: 1)
                .subnet(result.backbones[0], calibration: CalibrationBatches(count: 0) { _ in Tensor(zeros: [1, 16]) })
            try network.load(from: best.appendingPathComponent("accel.safetensors"))
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("weights/sensor-accel.safetensors").path))
    }
}

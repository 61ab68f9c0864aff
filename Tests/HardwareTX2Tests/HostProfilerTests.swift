import Foundation
import HNASKit
import SearchDARTS
import XCTest
@testable import HardwareTX2

/// The host profiler: layers built as their keys describe, RAPL counters, the written table
/// (format, round trip, null energy), and the `host` model costing an architecture from it.
final class HostProfilerTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-host-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// A meter that finds no counter (an empty powercap folder).
    private var noEnergy: RAPLMeter { RAPLMeter(root: directory.appendingPathComponent("no-powercap")) }

    private func write(_ text: String, _ relative: String) throws {
        let url = directory.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// A few small layers of every kind: stem, expand-1 first block, a stride-2 block, an SE block
    /// (Memes stage 2), feature mix and classifier.
    private func tinySubset() throws -> [ProfiledLayer] {
        let avmnist = try StockCosting.layers("avmnist")
        let se = try StockCosting.layers("memes").first { $0.key.hasPrefix("MBConvLayer-input:1_40_14_14") && $0.key.hasSuffix("use_se:1") }!
        return [avmnist.first { $0.key.hasPrefix("ConvLayer-input:1_1_20_20") }!,
                avmnist.first { $0.key.hasPrefix("MBConvLayer-input:1_16_10_10-in_ch:16-out_ch:16") }!,
                avmnist.first { $0.key.hasPrefix("MBConvLayer-input:1_16_10_10-in_ch:16-out_ch:24-mid_ch:48") }!,
                se,
                avmnist.first { $0.key.hasPrefix("ConvLayer-input:1_40_1_1") }!,
                avmnist.first { $0.key.hasPrefix("LinearLayer") }!]
    }

    func testLayersAreBuiltAsTheirKeysDescribe() throws {
        var generator = SeededGenerator(seed: 1)
        let layers = try tinySubset()
        let expected: [(output: [Int], parameters: [String])] = [
            ([1, 16, 10, 10], ["0.weight", "1.weight", "1.bias"]),
            // expand 1: depthwise + BN, pointwise + BN, no 1×1 expansion
            ([1, 16, 10, 10], ["0.0.weight", "0.1.weight", "0.1.bias", "1.0.weight", "1.1.weight", "1.1.bias"]),
            ([1, 24, 5, 5], ["0.0.weight", "0.1.weight", "0.1.bias", "1.0.weight", "1.1.weight", "1.1.bias",
                             "2.0.weight", "2.1.weight", "2.1.bias"]),
            ([1, 40, 14, 14], ["0.0.weight", "0.1.weight", "0.1.bias", "1.0.weight", "1.1.weight", "1.1.bias",
                               "2.reduce.weight", "2.reduce.bias", "2.expand.weight", "2.expand.bias",
                               "3.0.weight", "3.1.weight", "3.1.bias"]),
            ([1, 80, 1, 1], ["0.weight"]),   // feature mix: no BN
            ([1, 10], ["weight", "bias"]),
        ]
        for (layer, want) in zip(layers, expected) {
            let module = layer.makeLayer(generator: &generator)
            XCTAssertFalse(module.namedModules().contains { $0.1.isTraining }, "\(layer.key) in eval mode")
            XCTAssertEqual(module.namedParameters().map(\.0), want.parameters, layer.key)
            let output = try Autograd.withoutGrad { try module(Tensor(zeros: layer.inputShape)) }
            XCTAssertEqual(output.shape, want.output, layer.key)
        }
        // The SE module squeezes mid width 120 (40·3) to 32 (SPEC-backbone §1.1's table: in 40, e 3 → 120 / 32).
        XCTAssertTrue(layers[3].key.contains("mid_ch:120-expand:3"), layers[3].key)
        let se = layers[3].makeLayer(generator: &generator).namedParameters().first { $0.0 == "2.reduce.weight" }!.1
        XCTAssertEqual(se.value.shape, [32, 120, 1, 1])
        XCTAssertEqual(layers[3].activation, .relu)
        XCTAssertEqual(layers[0].activation, .hardSwish)
    }

    func testProfileWritesAValidTableWithNullEnergyWithoutRAPL() throws {
        let layers = try tinySubset()
        let profiler = try HostProfiler(repeats: 3, warmup: 1, meter: noEnergy)
        var progress: [Int] = []
        let table = try profiler.profile(layers, name: "tiny") { done, total, _, _ in
            XCTAssertEqual(total, layers.count)
            progress.append(done)
        }
        XCTAssertEqual(progress, Array(1...layers.count))
        let path = directory.appendingPathComponent("tiny.json").path
        try table.write(to: path)

        let read = try MeasuredTable.load(path: path)
        XCTAssertEqual(read.name, "tiny")
        XCTAssertEqual(read.keys, layers.map(\.key).sorted())
        XCTAssertEqual(read.entries, table.entries, "values round-trip exactly")
        for key in read.keys {
            XCTAssertGreaterThan(read[key]!.latencyMs, 0, key)
            XCTAssertNil(read[key]!.energyMJ, key)
            XCTAssertNotNil(LayerDescriptor(lutKey: key), "\(key) parses back")
        }
        XCTAssertTrue(read.note?.contains("energy not measured") ?? false, read.note ?? "no note")
        XCTAssertEqual(PredictorValidation.leaveOneOut(read).map(\.quantity), ["lat"], "no energy to validate")
        XCTAssertTrue(read.note?.contains("median of 3") ?? false, read.note ?? "no note")

        // The bundled tables' format: decimal strings, null energy, the note under "_note".
        let raw = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        XCTAssertEqual(Set(raw.keys), Set(layers.map(\.key) + ["_note"]))
        let entry = raw[layers[0].key] as! [String: Any]
        XCTAssertEqual(Double(entry["lat"] as! String), table[layers[0].key]!.latencyMs)
        XCTAssertTrue(entry["enrg"] is NSNull)
    }

    func testRAPLPackageCountersAreFoundAndWrapAround() throws {
        try write("package-0\n", "powercap/intel-rapl:0/name")
        try write("262143328850\n", "powercap/intel-rapl:0/max_energy_range_uj")
        try write("262143000000\n", "powercap/intel-rapl:0/energy_uj")
        try write("core\n", "powercap/intel-rapl:0:0/name")   // a sub-zone, not counted
        try write("5\n", "powercap/intel-rapl:0:0/energy_uj")
        let meter = RAPLMeter(root: directory.appendingPathComponent("powercap"))
        XCTAssertTrue(meter.isAvailable)
        XCTAssertEqual(meter.read(), [262143000000])
        XCTAssertEqual(meter.millijoules(from: [1000], to: [3500]), 2.5)
        XCTAssertEqual(meter.millijoules(from: [262143000000], to: [671150]), 1000, accuracy: 1e-9)   // wrapped once
        XCTAssertTrue(meter.summary.contains("intel-rapl:0/energy_uj"), meter.summary)

        // With a counter the profiler reports energy (0 here: the fake counter does not advance).
        let cost = try HostProfiler(repeats: 2, warmup: 0, meter: meter).profile([try tinySubset()[5]], name: "e").entries.values.first!
        XCTAssertEqual(cost.energyMJ, 0)
        XCTAssertGreaterThan(cost.latencyMs, 0)

        XCTAssertFalse(noEnergy.isAvailable)
        XCTAssertNil(noEnergy.read())
        try write("package-0\n", "unreadable/intel-rapl:0/name")   // no energy_uj (as for a non-root user)
        XCTAssertFalse(RAPLMeter(root: directory.appendingPathComponent("unreadable")).isAvailable)
    }

    /// A table without energy, end to end: loaded from a file by the `host` model, an architecture
    /// costs latency only (energy `nil`, printed `n/a`), and the fusion network is left out with a note.
    func testHostModelEstimatesAnArchitectureWithNullEnergy() throws {
        let keys = try StockCosting.layers("avmnist").map(\.key)
        let entries = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, Cost(latencyMs: Double($0 + 1) / 8, energyMJ: nil)) })
        let path = directory.appendingPathComponent("host.json").path
        try MeasuredTable(entries: entries, name: "host", note: "test").write(to: path)

        let model = try HostModel(table: try MeasuredTable.load(path: path))
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Examples/avmnist-example.json")
        let cost = try ArchitectureCost.estimate(try Architecture.load(path: example.path), pipeline: try StockCosting.pipeline("avmnist"),
                                                 registry: StockCosting.registry, on: model, fusion: DARTSFusionSearch())
        XCTAssertEqual(cost.sections.map(\.title), ["image", "audio"])
        XCTAssertFalse(cost.hasPredictedRows)
        let expected = cost.sections.flatMap(\.report.rows).reduce(0.0) { $0 + entries[$1.key]!.latencyMs }
        XCTAssertEqual(cost.total.latencyMs, expected)
        XCTAssertNil(cost.total.energyMJ)
        XCTAssertTrue(cost.notes.contains { $0.contains("fusion network is not counted") }, "\(cost.notes)")
        XCTAssertThrowsError(try model.fusionCost(operators: ["Sum"]))
    }

    /// Fusion operators: measured on demand once a fusion plugin's operators are attached (as a search
    /// does), keyed as the Jetson fusion tables; a table with fusion entries prices them too.
    func testHostModelPricesFusionOperatorsOnceAttached() throws {
        var messages: [String] = []
        let model = HostModel(profiler: try HostProfiler(repeats: 1, warmup: 0, meter: noEnergy)) { messages.append($0) }
        XCTAssertFalse(model.measuresFusionOperators)
        XCTAssertThrowsError(try model.fusionCost(operators: ["Sum"])) { XCTAssertTrue("\($0)".contains("no fusion operators were given"), "\($0)") }
        model.attach(fusionOperators: DARTSFusionSearch())
        XCTAssertTrue(model.measuresFusionOperators)
        let report = try model.fusionCost(operators: ["SE1", "Sum", "SE1"])
        XCTAssertEqual(report.rows.map(\.key), ["SE1", "Sum", "SE1"].map { "\($0)-input:1_192_16-N:1-C:192-L:16" })
        XCTAssertTrue(report.rows.allSatisfy { $0.cost.latencyMs > 0 && !$0.predicted })
        XCTAssertEqual(report.rows[0], report.rows[2])
        _ = try model.fusionCost(operators: ["CatConvMish"])
        XCTAssertEqual(messages, ["host: profiling the 7 fusion operators now (1 repeats each)"])

        let measured = try HostProfiler(repeats: 1, warmup: 0, meter: noEnergy).measureFusion(DARTSFusionSearch())
        XCTAssertEqual(Set(measured.map(\.key)), Set(try MeasuredTable.bundled("lut_fusion_tx2").keys))
        let path = directory.appendingPathComponent("fusion.json").path
        try MeasuredTable(entries: Dictionary(uniqueKeysWithValues: measured.map { ($0.key, $0.cost) }), name: "f", note: nil).write(to: path)
        let fromTable = try HostModel(table: try MeasuredTable.load(path: path))
        XCTAssertTrue(fromTable.measuresFusionOperators)
        XCTAssertEqual(try fromTable.fusionCost(operators: ["LinearGLU"]).rows.count, 1)
        XCTAssertThrowsError(try DARTSFusionSearch().makeOperatorRun("Max", channels: 4, length: 4, seed: 0))
    }

    /// Without a table the model profiles the whole space of a dataset's attached backbones once, says so, and
    /// then costs from it; a dataset without attached backbones is an error naming it.
    func testHostModelWithoutTableProfilesOnDemandOnce() throws {
        var messages: [String] = []
        let model = HostModel(profiler: try HostProfiler(repeats: 1, warmup: 0, meter: noEnergy)) { messages.append($0) }
        XCTAssertEqual(model.datasets, [])
        XCTAssertThrowsError(try model.backboneTable(dataset: "avmnist")) { XCTAssertTrue("\($0)".contains("'avmnist'"), "\($0)") }
        model.attach(backbones: try StockCosting.backbones("avmnist"), dataset: "avmnist")
        XCTAssertEqual(model.datasets, ["avmnist"])
        let subnet = OFASupernetSpace.avmnistAudio.layerDescriptors(ks: [7, 5, 3, 3], e: [6, 4, 3, 3], d: [3])
        let first = try model.backboneCost(subnet, dataset: "avmnist")
        let second = try model.backboneCost(subnet, dataset: "avmnist")
        XCTAssertEqual(messages.count, 1, "\(messages)")
        XCTAssertTrue(messages[0].contains("profiling the 44 layer configurations of avmnist"), messages[0])
        XCTAssertTrue(messages[0].contains("hnas lut profile --dataset avmnist"), messages[0])
        XCTAssertEqual(first, second, "the profile is kept")
        XCTAssertEqual(first.rows.map(\.key), subnet.map(\.lutKey))
        XCTAssertEqual(first.predictedRows, [])
        XCTAssertTrue(first.rows.allSatisfy { $0.cost.latencyMs > 0 && $0.cost.energyMJ == nil })
        XCTAssertEqual(try model.backboneTable(dataset: "avmnist").entries.count, 44)
    }

    func testPartialHostTablePredictsAndUncoveredDatasetIsAnError() throws {
        let layers = try StockCosting.layers("avmnist")
        var entries: [String: Cost] = [:]
        for (i, layer) in layers.enumerated() where !layer.key.hasPrefix("ConvLayer-input:1_1_28_28") {
            entries[layer.key] = Cost(latencyMs: 0.1 + Double(i) / 100, energyMJ: 0.2 + Double(i) / 50)
        }
        let model = try HostModel(table: MeasuredTable(entries: entries, name: "partial"))
        model.attach(backbones: try StockCosting.backbones("avmnist"), dataset: "avmnist")
        model.attach(backbones: try StockCosting.backbones("memes"), dataset: "memes")
        let subnet = OFASupernetSpace.avmnistImage.layerDescriptors(ks: [3, 3, 3, 3], e: [3, 3, 3, 3], d: [2])
        let report = try model.backboneCost(subnet, dataset: "avmnist")
        XCTAssertEqual(report.predictedRows.map(\.key), ["ConvLayer-input:1_1_28_28-in_ch:1-out_ch:16-kernel:3-stride:2-use_se:0-use_bn:1"])
        XCTAssertGreaterThan(report.predictedRows[0].cost.latencyMs, 0)
        XCTAssertThrowsError(try model.backboneCost([], dataset: "memes")) { error in
            XCTAssertTrue("\(error)".contains("hnas lut profile --dataset memes"), "\(error)")
        }
    }

    func testMalformedHostTableNamesFileAndKey() throws {
        let key = "LinearLayer-input:80-in_ch:80-out_ch:10"
        try write(#"{"_note": "x", "\#(key)": {"lat": "fast", "enrg": null}}"#, "bad.json")
        let path = directory.appendingPathComponent("bad.json").path
        XCTAssertThrowsError(try MeasuredTable.load(path: path)) { error in
            XCTAssertTrue("\(error)".contains(path), "\(error)")
            XCTAssertTrue("\(error)".contains("\(key)' field 'lat"), "\(error)")
            XCTAssertTrue("\(error)".contains("'fast' is not a number"), "\(error)")
        }
        try write(#"{"\#(key)": {"lat": "-0.5", "enrg": "1"}}"#, "negative.json")
        XCTAssertThrowsError(try MeasuredTable.load(path: directory.appendingPathComponent("negative.json").path)) { error in
            XCTAssertTrue("\(error)".contains("\(key)' field 'lat"), "\(error)")
        }
        XCTAssertThrowsError(try MeasuredTable.load(path: directory.appendingPathComponent("absent.json").path)) { error in
            XCTAssertTrue("\(error)".contains("absent.json"), "\(error)")
        }
        XCTAssertThrowsError(try HostProfiler(repeats: 0)) { error in XCTAssertTrue("\(error)".contains("--repeats"), "\(error)") }
    }
}

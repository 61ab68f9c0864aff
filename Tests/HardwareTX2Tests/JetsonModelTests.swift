import Foundation
import HNASKit
import XCTest
@testable import HardwareTX2

/// The bundled tables, key coverage of the stock supernets, the original's sums, and fallbacks.
final class JetsonModelTests: XCTestCase {
    /// The raw JSON of a bundled table, read independently of `MeasuredTable`.
    private func rawTable(_ name: String) throws -> [String: [String: Any]] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/HardwareTX2/Resources/\(name).json")
        return try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: [String: Any]]
    }

    func testBundledTablesHaveTheMeasuredEntryCounts() throws {
        let counts = ["lut_ofa_mnist_tx2": 44, "lut_ofa_mnist_agx": 44, "lut_ofa_imdb_tx2": 95, "lut_ofa_imdb_agx": 96,
                      "lut_ofa_memes_tx2": 59, "lut_ofa_memes_agx": 59, "lut_fusion_tx2": 7, "lut_fusion_agx": 7]
        for (name, count) in counts {
            let table = try MeasuredTable.bundled(name)
            XCTAssertEqual(table.entries.count, count, name)
            XCTAssertEqual(table.entries.count, try rawTable(name).count, name)
        }
        let stem = try MeasuredTable.bundled("lut_ofa_mnist_tx2")["ConvLayer-input:1_1_28_28-in_ch:1-out_ch:16-kernel:3-stride:2-use_se:0-use_bn:1"]
        XCTAssertEqual(stem, Cost(latencyMs: 0.48573214721679686, energyMJ: 0.7629752292633056))
        let concat = try MeasuredTable.bundled("lut_fusion_agx")["ConcatFC-input:1_192_16-N:1-C:192-L:16"]
        XCTAssertEqual(concat, Cost(latencyMs: 0.520685302734375, energyMJ: 2.859610641967773))
    }

    /// Every key of the min, max and 30 random subnets of every stock backbone is measured, on both boards.
    func testSampledSubnetsOfEveryDatasetHitOnlyMeasuredKeys() throws {
        var rng = SeededGenerator(seed: 2024)
        for device in JetsonModel.Device.allCases {
            let model = try JetsonModel(device: device)
            for (dataset, _, backbone) in StockBackbones.all {
                var configs = [backbone.sample(.min, using: &rng), backbone.sample(.max, using: &rng)]
                configs += (0..<30).map { _ in backbone.sample(.random, using: &rng) }
                for config in configs {
                    let report = try model.backboneCost(try backbone.layerDescriptors(config), dataset: dataset)
                    XCTAssertEqual(report.predictedRows.map(\.key), [], "\(device) \(backbone.name) \(config)")
                }
            }
        }
    }

    /// The search space's enumerated layer configurations (`ProfiledLayer.searchSpace`, what the host
    /// profiler measures) are exactly the keys of the nine uniform (k, e) max-depth subnets and exactly
    /// the table's keys (SPEC-hardware §1.3): the stock supernets and the tables describe the same networks.
    func testEnumeratedSearchSpaceKeysCoverEachTableExactly() throws {
        for device in JetsonModel.Device.allCases {
            let model = try JetsonModel(device: device)
            for dataset in model.datasets {
                let enumerated = try StockCosting.layers(dataset).map(\.key)
                XCTAssertEqual(enumerated.count, Set(enumerated).count, "\(dataset): keys enumerated once")
                var generated = Set<String>()
                for backbone in try StockCosting.backbones(dataset) {
                    let slots = backbone.space.blockSlots, stages = backbone.space.stages.count
                    for k in [3, 5, 7] {
                        for e in [3, 4, 6] {
                            let config = BackboneConfig(["ks": Array(repeating: k, count: slots),
                                                         "e": Array(repeating: e, count: slots),
                                                         "d": Array(repeating: 4, count: stages)])
                            generated.formUnion(try backbone.layerDescriptors(config).map(\.lutKey))
                        }
                    }
                }
                XCTAssertEqual(Set(enumerated), generated, "\(device) \(dataset)")
                let table = Set(try model.backboneTable(dataset: dataset).keys)
                // Only the AGX MM-IMDB table has an extra classifier (23 outputs) the original never looks up.
                let unused: Set<String> = device == .agx && dataset == "mmimdb" ? ["LinearLayer-input:1536-in_ch:1536-out_ch:23"] : []
                XCTAssertEqual(Set(enumerated), table.subtracting(unused), "\(device) \(dataset)")
                XCTAssertTrue(unused.isSubset(of: table))
            }
        }
        XCTAssertEqual(Set(try StockCosting.layers("avmnist").map(\.key)),
                       Set(try MeasuredTable.bundled("lut_ofa_mnist_tx2").keys))
        XCTAssertThrowsError(try StockCosting.layers("cifar")) { error in
            XCTAssertTrue("\(error)".contains("avmnist, mmimdb, memes"), "\(error)")
        }
        // The profiler builds OFA layers only: another backbone, or none, is refused by name.
        struct Table: Backbone {
            let name = "lookup-table", geneOrder: [String] = [], searchSpace: [String: [[Int]]] = [:]
            func layerDescriptors(_ config: BackboneConfig) throws -> [LayerDescriptor] { [] }
        }
        let image = try StockCosting.backbones("avmnist")[0]
        XCTAssertThrowsError(try ProfiledLayer.searchSpace(backbones: [image, Table()])) { error in
            XCTAssertEqual((error as? HNASError)?.subject, .argument("backbone lookup-table"))
        }
        XCTAssertThrowsError(try ProfiledLayer.searchSpace(backbones: []))
    }

    /// The smallest AV-MNIST image subnet on the TX2, summed by hand from the file's strings.
    func testHandSummedSubnetMatches() throws {
        let keys = [
            "ConvLayer-input:1_1_28_28-in_ch:1-out_ch:16-kernel:3-stride:2-use_se:0-use_bn:1",
            "MBConvLayer-input:1_16_14_14-in_ch:16-out_ch:16-mid_ch:0-expand:1-kernel:3-stride:1-use_se:0",
            "MBConvLayer-input:1_16_14_14-in_ch:16-out_ch:24-mid_ch:48-expand:3-kernel:3-stride:2-use_se:0",
            "MBConvLayer-input:1_24_7_7-in_ch:24-out_ch:24-mid_ch:72-expand:3-kernel:3-stride:1-use_se:0",
            "ConvLayer-input:1_24_7_7-in_ch:24-out_ch:40-kernel:1-stride:1-use_se:0-use_bn:1",
            "ConvLayer-input:1_40_1_1-in_ch:40-out_ch:80-kernel:1-stride:1-use_se:0-use_bn:0",
            "LinearLayer-input:80-in_ch:80-out_ch:10",
        ]
        let raw = try rawTable("lut_ofa_mnist_tx2")
        let latency = keys.reduce(0.0) { $0 + Double(raw[$1]!["lat"] as! String)! }
        let energy = keys.reduce(0.0) { $0 + Double(raw[$1]!["enrg"] as! String)! }
        XCTAssertEqual(latency, 3.9878882141113277)   // Python: sum(float(lut[k]['lat']) for k in keys)
        XCTAssertEqual(energy, 5.79323505449295)

        let backbone = OFABackbone(name: "image", space: .avmnistImage)
        let config = BackboneConfig(["ks": [3, 3, 3, 3], "e": [3, 3, 3, 3], "d": [2]])
        let report = try JetsonModel(device: .tx2).backboneCost(try backbone.layerDescriptors(config), dataset: "avmnist")
        XCTAssertEqual(report.rows.map(\.key), keys)
        XCTAssertEqual(report.total, Cost(latencyMs: latency, energyMJ: energy))

        // Largest MM-IMDB subnet on the AGX, total computed by the original's rule in Python.
        let imdb = try StockCosting.backbones("mmimdb")[0]
        let max = BackboneConfig(["ks": Array(repeating: 7, count: 20), "e": Array(repeating: 6, count: 20), "d": [4, 4, 4, 4, 4]])
        let total = try JetsonModel(device: .agx).backboneCost(try imdb.layerDescriptors(max), dataset: "mmimdb").total
        XCTAssertEqual(total, Cost(latencyMs: 22.810298431396486, energyMJ: 348.78523204144653))
    }

    /// SPEC-fusion §7.4's worked example: ConcatFC + SE1 on the TX2.
    func testFusionCostSumsTheOperatorsOfEveryCell() throws {
        let report = try JetsonModel(device: .tx2).fusionCost(operators: ["ConcatFC", "SE1"])
        XCTAssertEqual(report.rows.map(\.key), ["ConcatFC-input:1_192_16-N:1-C:192-L:16", "SE1-input:1_192_16-N:1-C:192-L:16"])
        XCTAssertEqual(report.total, Cost(latencyMs: 0.9584076538085937, energyMJ: 1.7027806534767151))
        XCTAssertThrowsError(try JetsonModel(device: .tx2).fusionCost(operators: ["Max"])) { error in
            XCTAssertTrue("\(error)".contains("Max-input:1_192_16-N:1-C:192-L:16"), "\(error)")
            XCTAssertTrue("\(error)".contains("CatConvMish-input"), "\(error)")
        }
        XCTAssertThrowsError(try JetsonModel(device: .agx, fusionChannels: 256).fusionCost(operators: ["Sum"])) { error in
            XCTAssertTrue("\(error)".contains("Sum-input:1_256_16-N:1-C:256-L:16"), "\(error)")
        }
    }

    func testMissingLayerIsPredictedAndFlaggedNotFatal() throws {
        let model = try JetsonModel(device: .tx2)
        // The AV-MNIST network on a 32×32 input: nothing but the feature mix and classifier is measured.
        let space = OFASupernetSpace(variant: .avmnist, widthMultiplier: 1, inputChannels: 1, resolution: 32, classes: 10)
        let layers = space.layerDescriptors(ks: [5, 5, 5, 5], e: [4, 4, 4, 4], d: [3])
        let report = try model.backboneCost(layers, dataset: "avmnist")
        XCTAssertEqual(report.rows.map(\.predicted), [true, true, true, true, true, true, false, false])
        for row in report.predictedRows {
            XCTAssertGreaterThan(row.cost.latencyMs, 0, row.key)
            XCTAssertGreaterThan(row.cost.energyMJ ?? 0, 0, row.key)
        }
        // A predicted 32×32 block costs more than the measured 28×28 one (4.6 vs 3.6 MMACs).
        let measured = try model.backboneCost(OFASupernetSpace.avmnistImage.layerDescriptors(ks: [5, 5, 5, 5], e: [4, 4, 4, 4], d: [3]),
                                              dataset: "avmnist")
        XCTAssertGreaterThan(report.rows[2].cost.latencyMs, measured.rows[2].cost.latencyMs * 0.8)
    }

    func testUnknownDatasetListsTheValidOnes() throws {
        XCTAssertThrowsError(try JetsonModel(device: .agx).backboneCost([], dataset: "cifar")) { error in
            XCTAssertTrue("\(error)".contains("avmnist, mmimdb, memes"), "\(error)")
        }
    }

    func testRegistersTx2AgxAndHost() throws {
        var registry = Registry()
        HardwareTX2.register(into: &registry)
        XCTAssertEqual(registry.hardwareModels.names, ["tx2", "agx", "host"])
        XCTAssertEqual(try registry.hardwareModels.make("agx").name, "agx")
        let host = try registry.hardwareModels.make("host")
        XCTAssertEqual(host.name, "host")
        XCTAssertFalse(host.measuresFusionOperators)
        XCTAssertThrowsError(try registry.hardwareModels.make("nano")) { error in
            XCTAssertTrue("\(error)".contains("tx2, agx, host"), "\(error)")
        }
    }

    func testMalformedTablesAreReportedWithTheEntry() {
        XCTAssertThrowsError(try MeasuredTable(json: Data(#"{"A": {"lat": "0.1x", "enrg": "1"}}"#.utf8), name: "t")) { error in
            XCTAssertTrue("\(error)".contains("'0.1x' is not a number"), "\(error)")
            XCTAssertTrue("\(error)".contains("'t'"), "\(error)")
        }
        XCTAssertThrowsError(try MeasuredTable(json: Data(#"{"A": {"lat": 0.1}}"#.utf8), name: "t")) { error in
            XCTAssertTrue("\(error)".contains("A' field 'enrg"), "\(error)")
        }
        XCTAssertThrowsError(try MeasuredTable(json: Data("[1]".utf8), name: "t"))
        XCTAssertThrowsError(try MeasuredTable(json: Data("{}".utf8), name: "t"))
    }
}

import Foundation
import XCTest
import HNASKit
import SearchDARTS
import SearchEvolution
import HardwareTX2
@testable import HNASSearch

/// The model directories a search writes into `best/<id>/`, rebuilt by `MultimodalModel`: under protocol
/// `original` (no derived network from DARTS, the genotype retrained for the directory), and the prediction
/// rules of single- and multi-label models.
final class ModelDirectoryTests: XCTestCase {
    func testOriginalProtocolRetrainsTheFrontsFusionNetworksForTheirDirectories() throws {
        var registry = Registry()
        registerStockBackbones(into: &registry)
        SearchEvolution.register(into: &registry)
        SearchDARTS.register(into: &registry)
        HardwareTX2.register(into: &registry)
        // Random AV-MNIST-shaped samples (1×28×28 images, 1×20×20 MFCCs), labels cycling through 10 classes.
        var generator = SeededGenerator(seed: 5)
        func split(_ n: Int) throws -> [InputSplit] {
            try [[1, 28, 28], [1, 20, 20]].map { shape in
                let x = try Tensor(shape: [n] + shape, scalars: (0..<(n * shape.reduce(1, *))).map { _ in Float(generator.normal()) })
                return InputSplit(try TensorDataset(inputs: x, labels: (0..<n).map { $0 % 10 }))
            }
        }
        let data = SearchData(inputs: ["image", "audio"], classes: 10, train: try split(20), validation: nil, test: try split(10),
                              validationSource: nil)
        let networks = try ["ofa-mbv3-avmnist-image", "ofa-mbv3-avmnist-audio"].map { try registry.backbones.make($0).makeNetwork(seed: 2) }

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-models-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var config = SearchRunConfig(data: "unused", weightsDir: folder.appendingPathComponent("weights").path)
        config.fusion = "darts"
        config.settings.parentPopulationSize = 2
        config.settings.generations = 1
        config.fusionOptions.fusionProtocol = .original
        config.fusionOptions.epochs = 1
        config.fusionOptions.retrainEpochs = 1
        config.fusionOptions.channels = 8
        config.fusionOptions.length = 4
        config.fusionOptions.batchSize = 8
        config.calibrationBatches = 1
        let directory = SearchRunDirectory(root: folder)
        try directory.writeConfig(config)
        let runner = SearchRunner(config: config, directory: directory, registry: registry)
        var lines: [String] = []
        runner.echo = { lines.append($0) }
        let state = try runner.run(data: data, networks: networks,
                                   options: .init(dataset: "avmnist", fusion: config.fusionOptions, modalityNames: ["Image", "Audio"],
                                                  featureCounts: [4, 4]), resume: false)
        XCTAssertTrue(lines.contains { $0.contains("retraining the fusion network of Genotype(") }, lines.joined(separator: "\n"))
        for index in state.paretoFront {
            let best = folder.appendingPathComponent("best/\(state.archive[index].id)")
            let model = try MultimodalModel(directory: best, registry: registry)
            XCTAssertEqual(model.manifest.inputs.map(\.config), state.archive[index].backbones)
            XCTAssertEqual(model.manifest.classNames, (0..<10).map { "\($0)" }, "no registered pipeline: classes by index")
            XCTAssertEqual(model.fusion.genotypeText, state.archive[index].fusion.genotype)
            let logits = try model.logits(try data.test.map { try $0.inputs(Array(0..<10)) })
            XCTAssertEqual(try SupernetSearchEvaluator.metric(logits, data.test[0].fusionLabels(classes: 10)),
                           try XCTUnwrap(model.manifest.metric), accuracy: 1e-9)
            XCTAssertThrowsError(try model.logits(try data.test.reversed().map { try $0.inputs([0]) })) {
                XCTAssertTrue("\($0)".contains("--input image"), "\($0)")
            }
        }
    }

    func testPredictionsOfSingleAndMultiLabelModels() {
        let single = MultimodalModel.prediction([0, 2, 2, -1], classNames: ["a", "b", "c", "d"], multiLabel: false, threshold: nil)
        XCTAssertEqual(single.labels, ["b"], "ties go to the first class, as the arg-max the evaluation counts")
        XCTAssertEqual(single.probabilities.map(\.name), ["b", "c", "a", "d"])
        XCTAssertEqual(single.probabilities.map(\.probability).reduce(0, +), 1, accuracy: 1e-12)
        // sigmoid(−1) = 0.27 < 0.3 < sigmoid(−0.5) = 0.38
        let multi = MultimodalModel.prediction([-0.5, -1, 3], classNames: ["Drama", "Comedy", "Horror"], multiLabel: true, threshold: 0.3)
        XCTAssertEqual(multi.labels, ["Horror", "Drama"])
        XCTAssertEqual(multi.probabilities.map(\.probability), [3, -0.5, -1].map { 1 / (1 + exp(-$0)) })
        XCTAssertEqual(MultimodalModel.prediction([-2, -3], classNames: ["x", "y"], multiLabel: true, threshold: 0.3).labels, [])
    }
}

import Foundation
import XCTest
import HNASKit
@testable import SearchDARTS

/// The typed result of a fusion search: the trained derived network as a `FusionModel`, saved as
/// `fusion.safetensors` (weights + spec) and rebuilt with identical logits.
final class FusionModelTests: XCTestCase {
    func lightOptions(_ fusionProtocol: FusionProtocol) -> FusionSearchOptions {
        var options = FusionSearchOptions(seed: 5)
        options.fusionProtocol = fusionProtocol
        options.channels = 8
        options.length = 4
        options.epochs = 2
        options.retrainEpochs = 2
        options.batchSize = 32
        return options
    }

    func testTheResultCarriesTheTrainedNetworkWhichRebuildsFromItsFile() throws {
        let problem = try SyntheticFusionTask().problem(steps: 1, nodeSteps: 2)
        let result = try RandomFusionSearch().search(problem, options: lightOptions(.sound), hardware: FusionTable.tx2, progress: nil)
        let model = try XCTUnwrap(result.model)
        XCTAssertEqual(model.genotypeText, result.genotypeText)
        XCTAssertEqual(model.spec.architecture, result.architecture)
        XCTAssertEqual(model.spec.search, "random")
        XCTAssertEqual(model.spec.inputChannels, problem.train.channels)
        XCTAssertEqual(model.operators, try RandomFusionSearch().operators(of: result.architecture))
        XCTAssertEqual(result.cost?.rows.count, 2, "one row per operator")

        // The model is the network whose test metric the search reports.
        let logits = try model.logits(problem.test.features)
        XCTAssertEqual(logits.shape, [problem.test.count, 2])
        XCTAssertEqual(try FusionTask.metric(logits, problem.test.labels), result.metric, accuracy: 1e-9)

        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-fusion-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try FusionModelFile.save(model, to: url)
        var registry = Registry()
        register(into: &registry)
        let rebuilt = try FusionModelFile.load(from: url, registry: registry)
        XCTAssertEqual(rebuilt.spec, model.spec)
        XCTAssertEqual(rebuilt.genotypeText, model.genotypeText)
        XCTAssertEqual(try rebuilt.logits(problem.test.features), logits, "identical logits after save and rebuild")

        // A fresh network of the same spec differs until its weights are loaded.
        let fresh = try DARTSFusionSearch().model(model.spec)
        XCTAssertNotEqual(try fresh.logits(problem.test.features), logits)
        XCTAssertTrue(try model.dot(inputNames: problem.inputNames).hasPrefix("digraph genotype {"))
    }

    /// `retrain`: a given genotype's network trained from scratch (`hnas best --genotype-only`).
    func testRetrainTrainsTheGivenGenotype() throws {
        let problem = try SyntheticFusionTask().problem(steps: 1, nodeSteps: 1)
        let found = try RandomFusionSearch().search(problem, options: lightOptions(.sound), hardware: nil, progress: nil)
        var options = lightOptions(.sound)
        options.seed = 11
        let again = try DARTSFusionSearch().retrain(found.architecture, on: problem, options: options, hardware: FusionTable.tx2, progress: nil)
        XCTAssertEqual(again.genotypeText, found.genotypeText)
        XCTAssertEqual(again.history.filter { $0.phase == "retrain" }.count, 2)
        XCTAssertEqual(again.cost?.rows.count, 1)
        let model = try XCTUnwrap(again.model)
        XCTAssertEqual(model.spec.search, "darts")
        XCTAssertEqual(try FusionTask.metric(try model.logits(problem.test.features), problem.test.labels), again.metric, accuracy: 1e-9)

        var missing = found.architecture
        missing.genotype = nil
        XCTAssertThrowsError(try DARTSFusionSearch().retrain(missing, on: problem, options: options, hardware: nil, progress: nil)) {
            XCTAssertTrue("\($0)".contains("fusion.genotype: missing"), "\($0)")
        }
        var smaller = SyntheticFusionTask()
        smaller.nodesPerModality = 1   // 2 input nodes: the genotype's concat [3, 4] names states that do not exist
        let fewerNodes = try smaller.problem(steps: 1, nodeSteps: 1)
        XCTAssertThrowsError(try DARTSFusionSearch().retrain(found.architecture, on: fewerNodes, options: options, hardware: nil, progress: nil)) {
            XCTAssertTrue("\($0)".contains("genotype"), "\($0)")
        }
    }

    func testOriginalProtocolHasNoDerivedNetwork() throws {
        let result = try DARTSFusionSearch().search(SyntheticFusionTask().problem(steps: 1, nodeSteps: 1),
                                                    options: lightOptions(.original), hardware: nil, progress: nil)
        XCTAssertNil(result.model, "the original reports the relaxed supernet; no derived network is trained")
        XCTAssertEqual(result.genotypeText, result.genotype.pythonRepr)
        let json = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
        XCTAssertTrue(json.contains("\"genotype\":\"Genotype(edges="), json)
    }

    func testBadFilesAndSpecsAreOneLineErrors() throws {
        let problem = try SyntheticFusionTask().problem(steps: 1, nodeSteps: 1)
        let model = try XCTUnwrap(try RandomFusionSearch().search(problem, options: lightOptions(.sound), hardware: nil, progress: nil).model)
        var spec = model.spec
        spec.settings["C"] = nil
        XCTAssertThrowsError(try DARTSFusionModel(spec: spec)) { XCTAssertTrue("\($0)".contains("missing 'C'"), "\($0)") }
        spec = model.spec
        spec.architecture.genotype = nil
        XCTAssertThrowsError(try DARTSFusionModel(spec: spec)) { XCTAssertTrue("\($0)".contains("fusion.genotype: missing"), "\($0)") }
        XCTAssertThrowsError(try model.logits(Array(problem.test.features.dropLast()))) {
            XCTAssertTrue("\($0)".contains("input nodes given"), "\($0)")
        }

        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-fusion-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        var weights = model.stateDict()
        try weights.write(to: url)
        XCTAssertThrowsError(try FusionModelFile.read(from: url)) { XCTAssertTrue("\($0)".contains("no 'fusion_model' entry"), "\($0)") }
        try FusionModelFile.save(model, to: url)
        var file = try SafeTensors.read(from: url)
        let dropped = try XCTUnwrap(file.tensors.keys.sorted().first)
        file.tensors[dropped] = nil
        try file.write(to: url)
        var registry = Registry()
        register(into: &registry)
        XCTAssertThrowsError(try FusionModelFile.load(from: url, registry: registry)) {
            XCTAssertTrue("\($0)".contains("missing: \(dropped)"), "\($0)")
        }
        weights.metadata = [FusionModelFile.specKey: "{}"]
        try weights.write(to: url)
        XCTAssertThrowsError(try FusionModelFile.read(from: url)) { XCTAssertTrue("\($0)".contains("invalid fusion model spec"), "\($0)") }
    }
}

import XCTest
import HNASKit
@testable import SearchDARTS

final class InputErrorTests: XCTestCase {
    func assertError(_ expression: @autoclosure () throws -> Any, contains text: String, line: UInt = #line) {
        XCTAssertThrowsError(try expression(), line: line) {
            XCTAssertTrue("\($0)".contains(text), "'\($0)' does not mention '\(text)'", line: line)
        }
    }

    func testUnknownOperatorInGenotypeJSON() throws {
        let json = #"{"edges": [["skip", 0], ["skip", 1]], "steps": [{"inner_edges": [["skip", 0], ["skip", 1]], "inner_steps": ["Conv3x3"], "inner_concat": [2]}], "concat": [1, 2]}"#
        let genotype = try JSONDecoder().decode(FusionGenotype.self, from: Data(json.utf8))
        var generator = SeededGenerator(seed: 1)
        let shape = FusionShape(inputChannels: [2, 2], channels: 2, length: 1, outputs: 2, steps: 1, nodeSteps: 1)
        assertError(try DerivedNetwork(genotype: genotype, shape: shape, generator: &generator),
                    contains: "genotype.steps[0].inner_steps[0]: 'Conv3x3' is not in the allowed set")
    }

    func testGenotypeEdgesThatDoNotFitTheInputs() throws {
        var generator = SeededGenerator(seed: 1)
        let shape = FusionShape(inputChannels: [2, 2], channels: 2, length: 1, outputs: 2, steps: 1, nodeSteps: 1)
        let tooFar = FusionGenotype(edges: [.init("skip", 0), .init("skip", 2)],
                                    steps: [.init(innerEdges: [.init("skip", 0), .init("skip", 1)], innerSteps: ["Sum"], innerConcat: [2])],
                                    concat: [1, 2])
        assertError(try DerivedNetwork(genotype: tooFar, shape: shape, generator: &generator), contains: "state 2 does not exist before cell 0")
        var inner = tooFar
        inner.edges[1].input = 1
        inner.steps[0].innerEdges[1].input = 2
        assertError(try DerivedNetwork(genotype: inner, shape: shape, generator: &generator), contains: "inner state 2 does not exist")
    }

    func testInconsistentMacroArchitecture() throws {
        var generator = SeededGenerator(seed: 1)
        let one = FusionShape(inputChannels: [4], channels: 2, length: 1, outputs: 2, steps: 1, nodeSteps: 1)
        assertError(try SearchNetwork(shape: one, generator: &generator), contains: "at least 2 are needed")
        let wide = FusionShape(inputChannels: [4, 4], channels: 2, length: 1, outputs: 2, steps: 1, nodeSteps: 1, multiplier: 4)
        assertError(try SearchNetwork(shape: wide, generator: &generator), contains: "4 concatenated states but only 3")
        let split = try FusionSplit(features: [Tensor(zeros: [4, 2]), Tensor(zeros: [4, 3])], labels: .classes([0, 1, 0, 1], classes: 2))
        assertError(try FusionProblem(train: split, validation: nil, test: split, steps: 0, nodeSteps: 1), contains: "not a positive number of fusion cells")
        var options = FusionSearchOptions()
        options.length = 8
        assertError(try options.validate(), contains: "8 is not a perfect square")
    }

    func testFeaturesOfTheWrongShape() throws {
        let labels = FusionLabels.classes([0, 1, 0, 1], classes: 2)
        assertError(try FusionSplit(features: [Tensor(zeros: [4])], labels: labels), contains: "features[0]")
        assertError(try FusionSplit(features: [Tensor(zeros: [4, 2]), Tensor(zeros: [3, 2])], labels: labels),
                    contains: "features[1]: has 3 samples but input node 0 has 4")
        assertError(try FusionSplit(features: [Tensor(zeros: [4, 2])], labels: .classes([0, 1], classes: 2)), contains: "2 labels for 4 samples")
        assertError(try FusionSplit(features: [Tensor(zeros: [4, 2])], labels: .classes([0, 1, 2, 0], classes: 2)), contains: "label 2 is outside")
        let train = try FusionSplit(features: [Tensor(zeros: [4, 2]), Tensor(zeros: [4, 3, 2, 2])], labels: labels)
        let test = try FusionSplit(features: [Tensor(zeros: [4, 2]), Tensor(zeros: [4, 5, 2, 2])], labels: labels)
        assertError(try FusionProblem(train: train, validation: nil, test: test, steps: 1, nodeSteps: 1), contains: "channels [2, 5] differ")
        var generator = SeededGenerator(seed: 1)
        let net = try SearchNetwork(shape: FusionShape(inputChannels: [2, 3], channels: 2, length: 4, outputs: 2, steps: 1, nodeSteps: 1),
                                    generator: &generator)
        assertError(try net([Tensor(zeros: [2, 2, 4]), Tensor(zeros: [2, 4, 4])]), contains: "Conv1d")
    }
}

final class FileTests: XCTestCase {
    func temporary(_ name: String) -> String {
        NSTemporaryDirectory() + "hnas-darts-\(ProcessInfo.processInfo.processIdentifier)-\(name)"
    }

    func testFeatureFileRoundTripAndErrors() throws {
        let (train, _) = try SyntheticFusionTask().splits()
        let path = temporary("train.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try FusionFeatureFile.save(train, path: path)
        let loaded = try FusionFeatureFile.load(path: path)
        XCTAssertEqual(loaded.features, train.features)
        guard case .classes(let labels, 2) = loaded.labels, case .classes(let original, _) = train.labels else {
            return XCTFail("labels are not two classes")
        }
        XCTAssertEqual(labels, original)
        let bad = temporary("bad.safetensors")
        defer { try? FileManager.default.removeItem(atPath: bad) }
        try SafeTensors(tensors: ["node_0": .float32(Tensor(zeros: [3, 2]))]).write(to: URL(fileURLWithPath: bad))
        XCTAssertThrowsError(try FusionFeatureFile.load(path: bad)) { XCTAssertTrue("\($0)".contains("no tensor 'labels'"), "\($0)") }
    }

    func testGenotypeFileFormats() throws {
        let repr = "Genotype(edges=[('skip', 0), ('skip', 1)], steps=[StepGenotype(inner_edges=[('skip', 1), ('skip', 0)], inner_steps=['SE1'], inner_concat=[2])], concat=[1, 2])"
        let genotype = try FusionGenotype(pythonRepr: repr)
        let json = temporary("g.json"), text = temporary("g.txt"), wrapped = temporary("w.json")
        defer { for p in [json, text, wrapped] { try? FileManager.default.removeItem(atPath: p) } }
        try GenotypeFile.save(genotype, path: json)
        try repr.write(toFile: text, atomically: true, encoding: .utf8)
        try "{\"metric\": 1, \"genotype\": \"\(repr)\"}".write(toFile: wrapped, atomically: true, encoding: .utf8)
        for path in [json, text, wrapped] { XCTAssertEqual(try GenotypeFile.load(path: path), genotype, path) }
        try "{\"edges\": 3}".write(toFile: text, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try GenotypeFile.load(path: text)) { XCTAssertTrue("\($0)".contains("cannot read genotype"), "\($0)") }
    }
}

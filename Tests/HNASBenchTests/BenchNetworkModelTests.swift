import Foundation
import XCTest
@testable import HNASBench
import HNASEngine
import HNASTestSupport

final class BenchNetworkModelTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Names and shapes from `python3 Scripts/make_bench_state_dict_fixture.py` (PyTorch's build of the same nets).
    func testBuildsTheSameLayersAsTheTorchReference() throws {
        let data = try Data(contentsOf: Self.root.appendingPathComponent("Tests/HNASBenchTests/Fixtures/bench_state_dicts.json"))
        let expected = try JSONDecoder().decode([String: [[NameOrShape]]].self, from: data)
        let networks = try BenchNetwork.load(Self.root.appendingPathComponent("Benchmarks/nets.json").path)
        for (name, entries) in expected {
            var g = SeededGenerator(seed: 1)
            let model = try networks[name]!.makeModel(generator: &g)
            let mine = model.stateDict().tensors
            XCTAssertEqual(Set(mine.keys), Set(entries.map { $0[0].name! }), name)
            for entry in entries {
                XCTAssertEqual(mine[entry[0].name!]?.shape, entry[1].shape!, "\(name) \(entry[0].name!)")
            }
        }
    }

    func testForwardShapeAndTrainingStepRun() throws {
        var g = SeededGenerator(seed: 2)
        let network = try BenchNetwork.load(Self.root.appendingPathComponent("Benchmarks/nets.json").path, named: "avmnist-image-max")
        let model = try network.makeModel(generator: &g)
        let x = WeightInit.normal([2, 1, 28, 28], std: 1, generator: &g)
        let loss = try Loss.crossEntropy(logits: try model(x), labels: [3, 7])
        try loss.backward()
        XCTAssertTrue(model.parameters.allSatisfy { $0.grad?.shape == $0.shape })
        model.eval()
        XCTAssertEqual(try model(x).shape, [2, 10])
    }
}

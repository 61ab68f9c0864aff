import Foundation
import HNASKit
@testable import ModalityText
import XCTest

/// The Maxout text backbone against PyTorch (`Scripts/make_maxout_fixture.py`): a converted
/// original-style checkpoint, eval- and train-mode outputs, running statistics and gradients.
final class MaxoutNetworkTests: XCTestCase {
    private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The fixture's network (12 → 8 → 16 → 3) with the converted weights, and the expected values.
    private func fixtureNetwork(dropout: Float = 0.3) throws -> (MaxoutNetwork, SafeTensors) {
        let net = MaxoutNetwork(inputFeatures: 12, outputs: 3, firstHidden: 8, dropout: dropout)
        try net.load(from: fixtures.appendingPathComponent("maxout.safetensors"))
        return (net, try SafeTensors.read(from: fixtures.appendingPathComponent("maxout_expected.safetensors")))
    }

    /// max |a − b| ≤ 1e-4 · max |b| elementwise, with matching shapes.
    private func assertClose(_ a: Tensor, _ b: Tensor, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.shape, b.shape, what, file: file, line: line)
        let scale = max(b.scalars.map(abs).max() ?? 0, 1e-6)
        let diff = zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(diff, 1e-4 * scale, "\(what): max abs diff \(diff), largest \(scale)", file: file, line: line)
    }

    func testEvalOutputsMatchPyTorch() throws {
        let (net, expected) = try fixtureNetwork()
        net.eval()
        let outputs = try net.outputs(expected[float: "input"]!)
        XCTAssertEqual(outputs.map(\.shape), [[5, 8], [5, 16], [5, 3]])
        for (i, output) in outputs.enumerated() { assertClose(output, expected[float: "eval.\(i)"]!, "eval output \(i)") }
        // Dropout is off and the running statistics stay as loaded in evaluation mode.
        XCTAssertEqual(try net.outputs(expected[float: "input"]!), outputs)
        let file = try SafeTensors.read(from: fixtures.appendingPathComponent("maxout.safetensors"))
        XCTAssertEqual(net.namedBuffers().first { $0.0 == "op_list.1.0.running_mean" }?.1.value, file[float: "op_list.1.0.running_mean"])
    }

    func testTrainModeStatisticsAndGradientsMatchPyTorch() throws {
        let (net, expected) = try fixtureNetwork(dropout: 0)
        net.train()
        net.zeroGrad()
        let outputs = try net.outputs(expected[float: "input"]!)
        var loss = Tensor(scalar: 0)
        for (i, output) in outputs.enumerated() {
            assertClose(output, expected[float: "train.\(i)"]!, "train output \(i)")
            loss = try loss + (output * expected[float: "cotangent.\(i)"]!).sum()
        }
        for (name, buffer) in net.namedBuffers() where name.contains("running") {
            assertClose(buffer.value, expected[float: "train.\(name)"]!, name)
        }
        try loss.backward()
        for (name, p) in net.namedParameters() {
            let grad = try XCTUnwrap(p.grad, "no gradient reached \(name)")
            assertClose(grad, expected[float: "grad.\(name)"]!, "gradient of \(name)")
        }
    }

    func testDropoutActsOnlyInTrainingMode() throws {
        let (net, expected) = try fixtureNetwork(dropout: 0.5)
        let x = expected[float: "input"]!
        net.train()
        let a = try net.outputs(x), b = try net.outputs(x)
        XCTAssertEqual(a[0], b[0], "the first maxout output comes before any dropout")
        XCTAssertNotEqual(a[1], b[1], "the second maxout output sees the first block's dropout")
        XCTAssertThrowsError(try net.outputs(try x.slice(axis: 0, 0..<1))) { error in
            XCTAssertTrue("\(error)".contains("more than one value"), "\(error)")
        }
    }

    func testStockShapesNamesAndFusionFeatures() throws {
        let imdb = MaxoutBackbone.mmimdb.makeMaxoutNetwork(), memes = MaxoutBackbone.memes.makeMaxoutNetwork()
        let shapes = Dictionary(uniqueKeysWithValues: imdb.namedParameters().map { ($0.0, $0.1.shape) })
        XCTAssertEqual(shapes, ["op_list.0.lin.weight": [512, 300], "op_list.0.lin.bias": [512],
                                "op_list.1.0.weight": [128], "op_list.1.0.bias": [128],
                                "op_list.2.lin.weight": [1024, 128], "op_list.2.lin.bias": [1024],
                                "op_list.3.0.weight": [256], "op_list.3.0.bias": [256],
                                "hid2val.weight": [23, 256], "hid2val.bias": [23]])
        XCTAssertEqual(imdb.namedBuffers().map(\.0), ["op_list.1.0.running_mean", "op_list.1.0.running_var", "op_list.1.0.num_batches_tracked",
                                                      "op_list.3.0.running_mean", "op_list.3.0.running_var", "op_list.3.0.num_batches_tracked"])
        XCTAssertEqual(imdb.outputChannels, [128, 256, 23])
        XCTAssertEqual(memes.outputChannels, [128, 256, 3])
        XCTAssertEqual(memes.fusionFeatureChannels, [128, 256])
        memes.eval()
        let x = try Tensor(shape: [3, 77], scalars: (0..<231).map { Float($0 % 50) })
        let all = try memes.outputs(x)
        XCTAssertEqual(all.map(\.shape), [[3, 128], [3, 256], [3, 3]])
        XCTAssertEqual(try memes.fusionFeatures(x), Array(all[0...1]))
        let batched = try memes.fusionFeatures(forAll: x, batchSize: 2)
        for (a, b) in zip(batched, all) { assertClose(a, b, "batched fusion features") }
        XCTAssertThrowsError(try memes.outputs(Tensor(zeros: [2, 300]))) { error in
            XCTAssertTrue("\(error)".contains("N×77"), "\(error)")
        }
    }

    func testBadWeightsListEveryProblem() throws {
        var file = try SafeTensors.read(from: fixtures.appendingPathComponent("maxout.safetensors"))
        file.tensors["op_list.2.lin.bias"] = nil
        file.tensors["hid2val.weight"] = .float32(Tensor(zeros: [4, 16]))
        file.tensors["extra.weight"] = .float32(Tensor(zeros: [1]))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("maxout-bad-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try file.write(to: url)
        let net = MaxoutNetwork(inputFeatures: 12, outputs: 3, firstHidden: 8)
        let before = net.hid2val.weight.value
        XCTAssertThrowsError(try net.load(from: url)) { error in
            let text = "\(error)"
            for part in [url.lastPathComponent, "missing: op_list.2.lin.bias", "hid2val.weight: file [4, 16] vs model [3, 16]", "unexpected: extra.weight"] {
                XCTAssertTrue(text.contains(part), "'\(part)' not in: \(text)")
            }
        }
        XCTAssertEqual(net.hid2val.weight.value, before, "nothing is loaded when the file does not fit")
        // The stock MM-IMDB network refuses the Memes-shaped weights (SPEC-backbone pitfall 2).
        XCTAssertThrowsError(try MaxoutBackbone.mmimdb.makeMaxoutNetwork().load(stateDict: MaxoutBackbone.memes.makeMaxoutNetwork().stateDict())) { error in
            XCTAssertTrue("\(error)".contains("op_list.0.lin.weight: file [512, 77] vs model [512, 300]"), "\(error)")
        }
    }

    func testTrainingOnSeparableDataReducesTheLoss() throws {
        var rng = SeededGenerator(seed: 3)
        let n = 32, d = 6
        let x = try Tensor(shape: [n, d], scalars: (0..<n * d).map { _ in Float(rng.uniform() * 2 - 1) })
        let labels = (0..<n).map { row in x[row, 0] + x[row, 1] > 0 ? 1 : 0 }
        let net = MaxoutNetwork(inputFeatures: d, outputs: 2, firstHidden: 8, dropout: 0.1, seed: 5)
        let adam = Adam(parameters: net.parameters, learningRate: 0.01)
        func loss() throws -> Tensor { try Loss.crossEntropy(logits: try net(x), labels: labels) }
        net.eval()
        let first = try Autograd.withoutGrad { try loss().item }
        net.train()
        for _ in 0..<60 {
            net.zeroGrad()
            try loss().backward()
            try adam.step()
        }
        net.eval()
        let last = try Autograd.withoutGrad { try loss().item }
        XCTAssertLessThan(last, first * 0.5, "loss \(first) → \(last)")
    }

    func testBackbonePluginHasNoGenesAndNoCost() throws {
        var registry = Registry()
        register(into: &registry)
        let backbone = try registry.backbones.make("maxout-memes-text")
        XCTAssertEqual(backbone.geneOrder, [])
        var rng = SeededGenerator(seed: 1)
        let config = backbone.sample(.random, using: &rng)
        XCTAssertEqual(config, BackboneConfig([:]))
        XCTAssertEqual(try backbone.layerDescriptors(config), [])
        XCTAssertThrowsError(try backbone.layerDescriptors(BackboneConfig(["ks": [3]]))) { error in
            XCTAssertTrue("\(error)".contains("unknown gene 'ks'"), "\(error)")
        }
        XCTAssertEqual(try MaxoutBackbone.stock(dataset: "mmimdb").inputFeatures, 300)
        XCTAssertThrowsError(try MaxoutBackbone.stock(dataset: "avmnist"))
    }
}

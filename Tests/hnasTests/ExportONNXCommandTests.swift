import ExportONNX
import Foundation
import HNASKit
import HNASSearch
import HNASTestSupport
import ModalityText
import SearchDARTS
import XCTest
@testable import hnas

/// `hnas export onnx` and whole multimodal models, each file run with ONNX Runtime by
/// Scripts/check_onnx.py and compared with hnas's own forward pass (max |diff| ≤ 1e-4 · max |logit|
/// for FP32, 2e-2 for FP16), plus onnx.checker.
final class ExportONNXCommandTests: XCTestCase {
    private let weights = ONNXRuntimeCheck.root.appendingPathComponent("Tests/HNASKitTests/Fixtures/ofa/avmnist.safetensors").path
    /// Together the active blocks use every elastic kernel size (3, 5, 7).
    private let architecture = Architecture(dataset: "avmnist", backbones: [
        "image": BackboneConfig(["ks": [5, 3, 7, 5], "e": [4, 6, 3, 4], "d": [3]]),
        "audio": BackboneConfig(["ks": [7, 7, 3, 5], "e": [6, 3, 4, 3], "d": [4]]),
    ], fusion: nil)

    /// Two cells whose six node operators are the six searched ones; the first cell reads input nodes
    /// `first` and `n − 1` (the last one), the second the first cell's output and node 0. A graph
    /// holds only what its outputs need, so the nodes read decide which backbone blocks are exported.
    private func everyOperatorGenotype(inputNodes n: Int, first: Int) -> FusionGenotype {
        let skip = { FusionGenotype.Edge("skip", $0) }
        let inner = [skip(0), skip(1), skip(2), skip(0), skip(3), skip(1)]
        return FusionGenotype(edges: [skip(first), skip(n - 1), skip(n), skip(0)],
                              steps: [.init(innerEdges: inner, innerSteps: ["Sum", "ScaleDotAttn", "LinearGLU"], innerConcat: [4]),
                                      .init(innerEdges: inner, innerSteps: ["ConcatFC", "SE1", "CatConvMish"], innerConcat: [4])],
                              concat: [n, n + 1])
    }

    /// A DARTS fusion model of `genotype` with seeded weights and BatchNorm statistics drawn around 0 and 1
    /// (so folding them into the convolutions is exercised): test material, not a trained model.
    private func fusionModel(_ genotype: FusionGenotype, inputChannels: [Int], channels: Int, length: Int, outputs: Int,
                             seed: UInt64) throws -> DARTSFusionModel {
        let spec = FusionModelSpec(search: "darts", architecture: FusionArchitecture(steps: 2, nodeSteps: 3, genotype: genotype.json),
                                   inputChannels: inputChannels, outputs: outputs,
                                   settings: ["C": Double(channels), "L": Double(length), "multiplier": 2, "dropout": 0.1])
        let model = try DARTSFusionModel(spec: spec)
        var state = model.stateDict(), g = SeededGenerator(seed: seed)
        for (name, entry) in state.tensors {
            guard case .float32(let t) = entry else { continue }
            let isVariance = name.hasSuffix("running_var")
            state.tensors[name] = .float32(try Tensor(shape: t.shape, scalars: t.scalars.map { _ in
                isVariance ? 0.5 + Float(g.uniform()) : Float(g.normal()) * (name.hasSuffix("weight") ? 0.3 : 0.2)
            }))
        }
        try model.load(stateDict: state, source: "test weights")
        return model
    }

    /// Writes `plan` in every one of `precisions` with its reference data and runs the check script on
    /// them; returns its report.
    @discardableResult
    private func exportAndCheck(_ plan: ONNXExportPlan, precisions: [ONNXPrecision] = [.fp32]) throws -> String {
        let folder = try HNASProcess.temporaryFolder(for: self)
        let data = folder.appendingPathComponent("check")
        try plan.checkData(batch: 3).write(to: data)
        let models = try precisions.map { precision -> URL in
            let model = folder.appendingPathComponent("model-\(precision.rawValue).onnx")
            try ONNXModel(graph: plan.graph, precision: precision).write(to: model)
            return model
        }
        return try ONNXRuntimeCheck.check(models.map { ($0, data) })
    }

    private func avmnistSubnet(_ modality: String) throws -> OFABackboneNetwork {
        let supernet = try StockSupernet.load(dataset: "avmnist", modality: modality, weights: URL(fileURLWithPath: weights))
        return OFABackboneNetwork(network: try supernet.extractSubnet(architecture.backbones[modality]!), backbone: supernet.backbone)
    }

    /// An AV-MNIST model directory as a search writes it: the fixture subnets, a fusion network using every operator.
    private func avmnistModelDirectory(in folder: URL) throws -> URL {
        let directory = folder.appendingPathComponent("model")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var inputs: [ModelManifest.Input] = [], channels: [Int] = []
        for modality in ["image", "audio"] {
            let subnet = try avmnistSubnet(modality)
            try subnet.save(to: directory.appendingPathComponent("\(modality).safetensors"), metadata: [:])
            inputs.append(ModelManifest.Input(modality: modality, searched: true, backbone: "ofa-mbv3-avmnist-\(modality)",
                                              config: architecture.backbones[modality]!, weights: "\(modality).safetensors",
                                              fusionFeatures: 4, inputShape: subnet.graphInputShape))
            channels += try subnet.network.fusionFeatureChannels(count: 4)
        }
        // L = 4: the 14×14 and 10×10 maps pool with one MaxPool, the 7×7 and 5×5 ones with overlapping windows.
        let fusion = try fusionModel(everyOperatorGenotype(inputNodes: 8, first: 3), inputChannels: channels, channels: 8, length: 4,
                                     outputs: 10, seed: 5)
        try FusionModelFile.save(fusion, to: directory.appendingPathComponent("fusion.safetensors"))
        var arch = architecture
        arch.fusion = fusion.spec.architecture
        try arch.encoded().write(to: directory.appendingPathComponent("arch.json"))
        try ModelManifest(dataset: "avmnist", multiLabel: false, classNames: (0..<10).map(String.init), threshold: nil, inputs: inputs,
                          metric: nil, cost: nil, device: nil).write(into: directory)
        return directory
    }

    func testAVMNISTModelDirectoryWithEveryFusionOperator() throws {
        let folder = try HNASProcess.temporaryFolder(for: self)
        let directory = try avmnistModelDirectory(in: folder)
        let out = folder.appendingPathComponent("avmnist.onnx"), check = folder.appendingPathComponent("check")
        let half = folder.appendingPathComponent("avmnist-fp16.onnx")
        let run = try HNASProcess.run(["export", "onnx", "--model", directory.path, "--out", out.path, "--features", "--check-inputs", check.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try HNASProcess.run(["export", "onnx", "--model", directory.path, "--out", half.path, "--features", "--fp16"]).status, 0)
        let model = try ONNXModel(serialized: try Data(contentsOf: out), source: out.path)
        XCTAssertEqual(model.graph.inputs, [GraphValue(name: "image", shape: .batched([1, 28, 28])), GraphValue(name: "audio", shape: .batched([1, 20, 20]))])
        XCTAssertEqual(model.graph.outputs.map(\.name), ["logits"] + ["image", "audio"].flatMap { m in (0..<4).map { "\(m)_feature_\($0)" } })
        XCTAssertEqual(model.graph.outputs.first?.shape, .batched([10]))
        XCTAssertEqual(model.metadata["hnas.dataset"], "avmnist")
        XCTAssertTrue(Set(["MaxPool", "ReduceMax", "MatMul", "Softmax", "LayerNormalization", "Softplus", "Tanh", "Sigmoid", "ReduceMean"])
                        .isSubset(of: model.graph.operatorTypes))
        XCTAssertFalse(model.graph.nodes.contains { $0.name.hasPrefix("image.classifier") }, "the backbones' own classifiers are left out")
        // The half-precision file is checked against the same reference data.
        let report = try ONNXRuntimeCheck.check([(out, check), (half, check)])
        XCTAssertEqual(report.components(separatedBy: ": ok").count - 1, 2 * 2 * 9, report)
        XCTAssertTrue(report.contains("opset 17, fp32") && report.contains("opset 17, fp16"), report)
    }

    func testMemesShapedImageTextModelWithSqueezeExcitationAndMaxout() throws {
        // A Memes-shaped image supernet (three stages, SE in the second) at 32×32, random weights; the stock Memes Maxout.
        let space = OFASupernetSpace(variant: .imdb, widthMultiplier: 1.0, inputChannels: 3, resolution: 32, classes: 3)
        let supernet = OFAMobileNetV3(space: space, seed: 11)
        let image = OFABackboneNetwork(network: try supernet.extractSubnet(BackboneConfig([
            "ks": [3, 5, 7, 3, 7, 5, 3, 5, 5, 7, 3, 3], "e": [3, 4, 6, 3, 6, 4, 3, 4, 4, 6, 3, 3], "d": [2, 3, 2]])), backbone: supernet.backbone)
        XCTAssertTrue(image.network.blocks.contains { $0.useSE })
        let text = MaxoutBackboneNetwork(network: MaxoutBackbone.memes.makeMaxoutNetwork(seed: 12), backbone: .memes)
        var g = SeededGenerator(seed: 13)
        for case let bn as BatchNorm in text.network.namedModules().map(\.1) {
            bn.runningMean.value = try Tensor(shape: [bn.features], scalars: (0..<bn.features).map { _ in Float(g.normal()) })
            bn.runningVar.value = try Tensor(shape: [bn.features], scalars: (0..<bn.features).map { _ in 0.5 + Float(g.uniform()) })
        }
        let channels = try image.network.fusionFeatureChannels(count: 7) + text.network.fusionFeatureChannels
        let fusion = try fusionModel(everyOperatorGenotype(inputNodes: 9, first: 6), inputChannels: channels, channels: 6, length: 16,
                                     outputs: 3, seed: 14)
        let plan = try ONNXExportPlan.multimodal([ONNXBackbonePart(image, inputName: "image", featureCount: 7),
                                                  ONNXBackbonePart(text, inputName: "text", featureCount: 2)],
                                                 fusion: ONNXFusionPart(fusion, foldBatchNorm: false), name: "memes", features: false)
        XCTAssertEqual(plan.graph.inputs, [GraphValue(name: "image", shape: .batched([3, 32, 32])), GraphValue(name: "text", shape: .batched([77]))])
        XCTAssertTrue(Set(["HardSigmoid", "GlobalAveragePool", "BatchNormalization", "ReduceMax"]).isSubset(of: plan.graph.operatorTypes),
                      "\(plan.graph.operatorTypes)")
        let report = try exportAndCheck(plan)
        XCTAssertEqual(report.components(separatedBy: ": ok").count - 1, 2, report)
    }

    func testSingleBackboneCommand() throws {
        let folder = try HNASProcess.temporaryFolder(for: self)
        let arch = folder.appendingPathComponent("arch.json")
        try architecture.encoded().write(to: arch)
        var checks: [(model: URL, data: URL)] = []
        for (modality, extra) in [("image", ["--features"]), ("audio", ["--no-fold-bn", "--fp16"])] {
            let out = folder.appendingPathComponent("\(modality).onnx"), check = folder.appendingPathComponent(modality)
            try ExportONNXCommand.parse(["--single", "--dataset", "avmnist", "--modality", modality, "--weights", weights,
                                         "--arch", arch.path, "--out", out.path, "--check-inputs", check.path] + extra).run()
            let model = try ONNXModel(serialized: try Data(contentsOf: out), source: out.path)
            XCTAssertEqual(model.graph.inputs.map(\.name), [modality])
            XCTAssertEqual(model.graph.outputs.count, extra.contains("--features") ? 5 : 1)
            XCTAssertEqual(model.precision, extra.contains("--fp16") ? .fp16 : .fp32)
            XCTAssertEqual(model.graph.operatorTypes.contains("BatchNormalization"), extra.contains("--no-fold-bn"))
            checks.append((out, check))
        }
        // The fixed text backbone: the stock Memes shape (77 → 3), weights saved by hnas.
        let text = folder.appendingPathComponent("text.safetensors")
        try MaxoutBackbone.memes.makeMaxoutNetwork(seed: 2).save(to: text)
        let out = folder.appendingPathComponent("text.onnx")
        try ExportONNXCommand.parse(["--single", "--dataset", "memes", "--modality", "text", "--weights", text.path, "--features",
                                     "--out", out.path, "--check-inputs", folder.appendingPathComponent("text").path]).run()
        let model = try ONNXModel(serialized: try Data(contentsOf: out), source: out.path)
        XCTAssertEqual(model.graph.inputs, [GraphValue(name: "text", shape: .batched([77]))])
        XCTAssertEqual(model.graph.outputs.map(\.shape), [.batched([3]), .batched([128]), .batched([256])])
        // Last, so the assertions above run even where ONNX Runtime is missing (then the test is skipped, or fails under CI).
        try ONNXRuntimeCheck.check(checks + [(out, folder.appendingPathComponent("text"))])
    }

    func testCheckScriptRejectsOutputsThatDiffer() throws {
        try ONNXRuntimeCheck.require()
        let folder = try HNASProcess.temporaryFolder(for: self)
        let plan = try ONNXExportPlan.backbone(ONNXBackbonePart(try avmnistSubnet("audio"), inputName: "audio", featureCount: 4), name: "a", features: false)
        let model = folder.appendingPathComponent("a.onnx"), data = folder.appendingPathComponent("check")
        try ONNXModel(graph: plan.graph).write(to: model)
        var check = try plan.checkData(batch: 2)
        let logits = check.expected["logits"]!
        let scale = logits.scalars.map(abs).max()!
        // One logit off by 2e-4 × max |logit|: twice the FP32 tolerance.
        check.expected["logits"] = try Tensor(shape: logits.shape, scalars: logits.scalars.enumerated().map { $0.offset == 3 ? $0.element + 2e-4 * scale : $0.element })
        try check.write(to: data)
        let result = try ONNXRuntimeCheck.report([(model, data)])
        XCTAssertEqual(result.status, 1, result.output)
        XCTAssertTrue(result.output.contains("logits (batch) [2, 10]") && result.output.contains("FAIL"), result.output)
    }

    func testBadInputIsOneLineErrorAndWritesNothing() throws {
        let folder = try HNASProcess.temporaryFolder(for: self)
        let directory = try avmnistModelDirectory(in: folder)
        let out = folder.appendingPathComponent("m.onnx").path
        let base = ["export", "onnx", "--out", out]
        assertOneErrorLine(try HNASProcess.run(base), containing: ["--model", "--single"])
        assertOneErrorLine(try HNASProcess.run(base + ["--model", directory.path, "--single"]), containing: ["--model", "--single"])
        assertOneErrorLine(try HNASProcess.run(base + ["--single", "--dataset", "avmnist", "--modality", "image", "--weights", weights]),
                           containing: ["--arch", "required"])
        assertOneErrorLine(try HNASProcess.run(base + ["--single", "--dataset", "avmnist", "--modality", "text", "--weights", weights]),
                           containing: ["--modality", "no input 'text'"])
        assertOneErrorLine(try HNASProcess.run(base + ["--single", "--dataset", "memes", "--modality", "text", "--weights", weights,
                                                       "--arch", "a.json"]), containing: ["--arch", "fixed"])
        assertOneErrorLine(try HNASProcess.run(base + ["--single", "--dataset", "memes", "--modality", "text", "--weights", weights]),
                           containing: [weights, "missing"])
        // A model directory missing a part names it.
        try FileManager.default.removeItem(at: directory.appendingPathComponent("fusion.safetensors"))
        assertOneErrorLine(try HNASProcess.run(base + ["--model", directory.path]), containing: [directory.path, "missing fusion.safetensors"])
        try FileManager.default.removeItem(at: directory.appendingPathComponent("audio.safetensors"))
        assertOneErrorLine(try HNASProcess.run(base + ["--model", directory.path]), containing: ["missing audio.safetensors, fusion.safetensors"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }
}

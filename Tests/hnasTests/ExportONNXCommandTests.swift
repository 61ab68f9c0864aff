import ExportONNX
import Foundation
import HNASKit
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


    private func avmnistSubnet(_ modality: String) throws -> OFAMobileNetV3 {
        let supernet = try StockSupernet.load(dataset: "avmnist", modality: modality, weights: URL(fileURLWithPath: weights))
        return try supernet.extractSubnet(architecture.backbones[modality]!)
    }

    func testAVMNISTImageAudioModelWithEveryFusionOperator() throws {
        try ONNXRuntimeCheck.require()
        let image = try avmnistSubnet("image"), audio = try avmnistSubnet("audio")
        let channels = try image.fusionFeatureChannels(count: 4) + audio.fusionFeatureChannels(count: 4)
        // L = 4: the 14×14 and 10×10 maps pool with one MaxPool, the 7×7 and 5×5 ones with overlapping windows.
        let fusion = try TrainedFusionNetwork.random(genotype: everyOperatorGenotype(inputNodes: 8, first: 3), inputChannels: channels,
                                                     channels: 8, length: 4, outputs: 10, seed: 5)
        let plan = try ONNXExportPlan.multimodal([.ofa(image, inputName: "image", featureCount: 4), .ofa(audio, inputName: "audio", featureCount: 4)],
                                                 fusion: .derived(fusion), name: "avmnist", features: true)
        XCTAssertEqual(plan.graph.inputs.map(\.name), ["image", "audio"])
        XCTAssertEqual(plan.graph.outputs.first, GraphValue(name: "logits", shape: .batched([10])))
        XCTAssertEqual(plan.graph.outputs.count, 1 + 8)
        XCTAssertTrue(Set(["MaxPool", "ReduceMax", "MatMul", "Softmax", "LayerNormalization", "Softplus", "Tanh", "Sigmoid", "ReduceMean"])
                        .isSubset(of: plan.graph.operatorTypes))
        XCTAssertFalse(plan.graph.operatorTypes.contains("Gemm") && plan.graph.nodes.contains { $0.name.hasPrefix("image.classifier") },
                       "the backbones' own classifiers are not in a multimodal graph")
        let report = try exportAndCheck(plan, precisions: [.fp32, .fp16])
        XCTAssertEqual(report.components(separatedBy: ": ok").count - 1, 2 * 2 * 9, report)
        XCTAssertTrue(report.contains("opset 17, fp32") && report.contains("opset 17, fp16"), report)
    }

    func testImageTextModelWithSqueezeExcitationAndMaxout() throws {
        try ONNXRuntimeCheck.require()
        // A Memes-shaped image supernet (three stages, SE in two) at 32×32, random weights.
        let space = OFASupernetSpace(variant: .imdb, widthMultiplier: 1.0, inputChannels: 3, resolution: 32, classes: 3)
        let supernet = OFAMobileNetV3(space: space, seed: 11)
        let image = try supernet.extractSubnet(BackboneConfig(["ks": [3, 5, 7, 3, 7, 5, 3, 5, 5, 7, 3, 3],
                                                               "e": [3, 4, 6, 3, 6, 4, 3, 4, 4, 6, 3, 3], "d": [2, 3, 2]]))
        XCTAssertTrue(image.blocks.contains { $0.useSE })
        let text = MaxoutBackbone.memes.makeNetwork(seed: 12)
        var g = SeededGenerator(seed: 13)
        for case let bn as BatchNorm in text.namedModules().map(\.1) {
            bn.runningMean.value = try Tensor(shape: [bn.features], scalars: (0..<bn.features).map { _ in Float(g.normal()) })
            bn.runningVar.value = try Tensor(shape: [bn.features], scalars: (0..<bn.features).map { _ in 0.5 + Float(g.uniform()) })
        }
        let channels = try image.fusionFeatureChannels(count: 7) + text.fusionFeatureChannels
        let fusion = try TrainedFusionNetwork.random(genotype: everyOperatorGenotype(inputNodes: 9, first: 6), inputChannels: channels,
                                                     channels: 6, length: 16, outputs: 3, seed: 14)
        let plan = try ONNXExportPlan.multimodal([.ofa(image, inputName: "image", featureCount: 7), .maxout(text)],
                                                 fusion: .derived(fusion, foldBatchNorm: false), name: "memes", features: false)
        XCTAssertEqual(plan.graph.inputs, [GraphValue(name: "image", shape: .batched([3, 32, 32])), GraphValue(name: "text", shape: .batched([77]))])
        XCTAssertTrue(Set(["HardSigmoid", "BatchNormalization", "ReduceMax"]).isSubset(of: plan.graph.operatorTypes), "\(plan.graph.operatorTypes)")
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
        try MaxoutBackbone.memes.makeNetwork(seed: 2).save(to: text)
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
        let plan = try ONNXExportPlan.backbone(.ofa(try avmnistSubnet("audio"), inputName: "audio", featureCount: 4), name: "a", features: false)
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

    func testBadArgumentsAreOneLineErrorsAndWriteNothing() throws {
        let folder = try HNASProcess.temporaryFolder(for: self)
        let out = folder.appendingPathComponent("m.onnx").path
        let base = ["export", "onnx", "--out", out]
        assertOneErrorLine(try HNASProcess.run(base), containing: ["--single"])
        assertOneErrorLine(try HNASProcess.run(base + ["--single", "--dataset", "avmnist", "--modality", "image", "--weights", weights]),
                           containing: ["--arch", "required"])
        assertOneErrorLine(try HNASProcess.run(base + ["--single", "--dataset", "memes", "--modality", "text", "--weights", weights,
                                                       "--arch", "a.json"]), containing: ["--arch", "fixed"])
        assertOneErrorLine(try HNASProcess.run(base + ["--single", "--dataset", "memes", "--modality", "text", "--weights", weights]),
                           containing: [weights, "missing"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [])
    }
}

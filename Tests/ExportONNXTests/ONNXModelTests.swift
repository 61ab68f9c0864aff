import ExportONNX
import Foundation
import HNASKit
import HNASTestSupport
import XCTest

/// ONNX files of an OFA subnet decoded back with SwiftProtobuf: inputs, outputs, opset, node kinds and
/// the active kernels — the export checked without Python.
final class ONNXModelTests: XCTestCase {
    private let weights = ONNXRuntimeCheck.root.appendingPathComponent("Tests/HNASKitTests/Fixtures/ofa/avmnist.safetensors")
    /// Active kernels 5, 3, 7 (d = 3), expand ratios 4, 6, 3.
    private let config = BackboneConfig(["ks": [5, 3, 7, 5], "e": [4, 6, 3, 4], "d": [3]])

    private func subnet() throws -> OFABackboneNetwork {
        let supernet = try StockSupernet.load(dataset: "avmnist", modality: "image", weights: weights)
        return OFABackboneNetwork(network: try supernet.extractSubnet(config), backbone: supernet.backbone)
    }

    private func writeAndRead(_ model: ONNXModel) throws -> ONNXModel {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-onnx-\(UUID().uuidString).onnx")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        try model.write(to: url)
        return try ONNXModel(serialized: try Data(contentsOf: url), source: url.path)
    }

    func testSubnetFileHoldsTheActiveSubnet() throws {
        let plan = try ONNXExportPlan.backbone(ONNXBackbonePart(try subnet(), inputName: "image", featureCount: 4), name: "avmnist-image", features: true)
        let model = try writeAndRead(ONNXModel(graph: plan.graph, metadata: ["hnas.dataset": "avmnist"]))
        let graph = model.graph
        XCTAssertEqual(model.precision, .fp32)
        XCTAssertEqual(model.metadata["hnas.dataset"], "avmnist")
        XCTAssertEqual(graph.inputs, [GraphValue(name: "image", shape: .batched([1, 28, 28]))])
        XCTAssertEqual(graph.outputs.map(\.name), ["logits", "feature_0", "feature_1", "feature_2", "feature_3"])
        // Six outputs (stem, block 0, three active blocks, logits): features are block 0 and the three blocks.
        XCTAssertEqual(graph.outputs.map(\.shape), [.batched([10]), .batched([16, 14, 14]), .batched([24, 7, 7]),
                                                    .batched([24, 7, 7]), .batched([24, 7, 7])])
        XCTAssertEqual(graph.operatorTypes, ["Add", "Conv", "Flatten", "Gemm", "GlobalAveragePool", "HardSwish", "Identity", "Relu"])
        // Depthwise convolutions: block 0's 3×3, then the active kernels; the fourth slot is inactive (d = 3).
        let depthwise = graph.nodes.filter { $0.opType == "Conv" && $0.int("group", default: 1) > 1 }
        XCTAssertEqual(depthwise.map { $0.ints("kernel_shape") }, [[3, 3], [5, 5], [3, 3], [7, 7]])
        XCTAssertEqual(depthwise.map { $0.ints("pads") }, [[1, 1, 1, 1], [2, 2, 2, 2], [1, 1, 1, 1], [3, 3, 3, 3]])
        // Stem, block 0 (depthwise + project), three blocks (expand + depthwise + project), final expand, feature mix.
        XCTAssertEqual(graph.nodes.filter { $0.opType == "Conv" }.count, 1 + 2 + 3 * 3 + 2)
        XCTAssertFalse(graph.operatorTypes.contains("BatchNormalization"))
        XCTAssertEqual(model.graph, plan.graph)
    }

    func testUnfoldedBatchNormAndHalfPrecision() throws {
        let net = try subnet()
        let unfolded = try ONNXExportPlan.backbone(ONNXBackbonePart(net, inputName: "image", featureCount: 4, foldBatchNorm: false), name: "u", features: false)
        let model = try writeAndRead(ONNXModel(graph: unfolded.graph))
        // Stem, block 0 (2), three blocks (3 each), final expand: every convolution but the feature mix has one.
        XCTAssertEqual(model.graph.nodes.filter { $0.opType == "BatchNormalization" }.count, 1 + 2 + 9 + 1)

        let folded = try ONNXExportPlan.backbone(ONNXBackbonePart(net, inputName: "image", featureCount: 4), name: "h", features: false)
        let half = try writeAndRead(ONNXModel(graph: folded.graph, precision: .fp16))
        XCTAssertEqual(half.precision, .fp16)
        XCTAssertEqual(half.metadata["hnas.precision"], "fp16")
        XCTAssertEqual(half.graph.nodes.first.map { [$0.opType, $0.inputs[0]] }, ["Cast", "image"])
        XCTAssertEqual(half.graph.nodes.first?.attributes["to"], .int(10))
        XCTAssertEqual(half.graph.nodes.last.map { [$0.opType, $0.outputs[0]] }, ["Cast", "logits"])
        XCTAssertEqual(half.graph.nodes.last?.attributes["to"], .int(1))
        XCTAssertEqual(half.graph.nodes.count, folded.graph.nodes.count + 2)
        // The weights are float16: within half a unit in the last place (2⁻¹¹ relative) of the float32 ones.
        for (a, b) in zip(half.graph.constants, folded.graph.constants) {
            guard case .float32(let h) = a.value, case .float32(let f) = b.value else { continue }
            for (x, y) in zip(h.scalars, f.scalars) { XCTAssertEqual(x, y, accuracy: abs(y) / 2048 + 6e-8, a.name) }
        }
    }

    func testGraphMistakesAreNamed() throws {
        let builder = GraphBuilder(name: "g")
        let x = try builder.input("x", shape: .batched([4, 5, 5]))
        XCTAssertThrowsError(try builder.apply("Gelu2", [x])) {
            XCTAssertTrue("\($0)".contains("operator 'Gelu2' has no ONNX mapping"), "\($0)")
        }
        XCTAssertThrowsError(try builder.convolution(x, weight: Tensor(zeros: [8, 3, 3, 3]))) {
            XCTAssertTrue("\($0)".contains("does not fit input [N, 4, 5, 5]"), "\($0)")
        }
        XCTAssertThrowsError(try builder.apply("Add", [x, builder.constant(Tensor(zeros: [3]), "b")])) {
            XCTAssertTrue("\($0)".contains("do not broadcast"), "\($0)")
        }
        let y = try builder.apply("Relu", [x])
        XCTAssertThrowsError(try builder.apply("Relu", [GraphValue(name: "nowhere", shape: [])])) {
            XCTAssertTrue("\($0)".contains("reads 'nowhere', which is not defined"), "\($0)")
        }
        try builder.output(y, as: "y")
        XCTAssertNoThrow(try builder.build())

        let node = GraphNode(name: "late", opType: "Relu", inputs: ["z"], outputs: ["w"])
        let early = GraphNode(name: "z", opType: "Relu", inputs: ["x"], outputs: ["z"])
        var graph = InferenceGraph(name: "g", inputs: [x], outputs: [GraphValue(name: "w", shape: x.shape)], constants: [], nodes: [node, early])
        XCTAssertThrowsError(try graph.check()) { XCTAssertTrue("\($0)".contains("reads 'z' before any node produces it"), "\($0)") }
        graph.nodes = [early, node]
        XCTAssertNoThrow(try graph.check())
        graph.outputs = [GraphValue(name: "w", shape: .batched([4]))]
        XCTAssertThrowsError(try graph.check()) { XCTAssertTrue("\($0)".contains("declared [N, 4] but computed [N, 4, 5, 5]"), "\($0)") }
        graph.outputs = [GraphValue(name: "v", shape: x.shape)]
        XCTAssertThrowsError(try graph.check()) { XCTAssertTrue("\($0)".contains("output 'v' is not produced"), "\($0)") }
    }

    func testUnreadableFilesAndFailedWritesAreErrors() throws {
        XCTAssertThrowsError(try ONNXModel(serialized: Data([0x0A, 0xFF, 0x01]), source: "junk.onnx")) {
            XCTAssertTrue("\($0)".contains("'junk.onnx'"), "\($0)")
        }
        let plan = try ONNXExportPlan.backbone(ONNXBackbonePart(try subnet(), inputName: "image", featureCount: 4), name: "g", features: false)
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-no-such-dir-\(UUID().uuidString)/m.onnx")
        XCTAssertThrowsError(try ONNXModel(graph: plan.graph).write(to: missing)) {
            XCTAssertTrue("\($0)".contains("cannot write ONNX model '\(missing.path)'"), "\($0)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: missing.path))
    }
}

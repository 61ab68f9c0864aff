import ArgumentParser
import ExportONNX
import Foundation
import HNASKit
import ModalityText

/// `hnas export onnx`: a backbone subnet (or the fixed text backbone) as an ONNX file.
struct ExportONNXCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onnx",
        abstract: "Write a backbone subnet as an ONNX file (opset 17, dynamic batch axis, FP32 or FP16).",
        discussion: """
            --single exports one backbone: an OFA MobileNetV3 subnet (--modality image or audio: only the active \
            blocks, kernels and channels, the subnet of --arch's backbones.<modality> with the BatchNorm statistics \
            stored in --weights) or the dataset's fixed Maxout text backbone (--modality text, --weights from \
            `hnas train-text`). The input is named after the modality with its preprocessed shape ([N, 1, 28, 28] \
            AV-MNIST image, [N, 1, 20, 20] audio MFCCs, [N, 3, 112, 112] Memes, [N, 3, 224, 224] MM-IMDB, [N, 300] or \
            [N, 77] text); the output is `logits`, plus the fusion network's inputs `feature_0…` with --features. \
            BatchNorm is folded into the convolutions unless --no-fold-bn. The graph is checked before the file is \
            written atomically (every value produced before use, every shape consistent).

            --check-inputs DIR also writes a random input batch and hnas's own outputs on it as NPY files, which \
            Scripts/check_onnx.py compares with ONNX Runtime's.

            Example:
              hnas export onnx --single --dataset avmnist --modality image --weights w.safetensors --arch a.json --out image.onnx
              python3 Scripts/check_onnx.py image.onnx check/   # after --check-inputs check/
            """
    )

    @Flag(help: "Export one backbone (OFA subnet or the Maxout text backbone).")
    var single = false

    @Option(help: "Dataset of the backbone: avmnist, mmimdb or memes.")
    var dataset: String?

    @Option(help: "Modality: image or audio (OFA subnet), text (Maxout).")
    var modality: String?

    @Option(help: "Weights (safetensors): the supernet's, or the Maxout text backbone's.")
    var weights: String?

    @Option(help: "Architecture JSON holding the subnet under backbones.<modality> (OFA only).")
    var arch: String?

    @Option(help: "Where to write the ONNX file.")
    var out: String

    @Flag(help: "Also output the fusion network's inputs (feature_0, …).")
    var features = false

    @Flag(name: .customLong("no-fold-bn"), help: "Keep BatchNormalization nodes instead of folding them into the convolutions.")
    var keepBatchNorm = false

    @Flag(help: "Store weights and compute in float16 (inputs and outputs stay float32).")
    var fp16 = false

    @Option(help: "Folder for a random input batch and hnas's outputs on it (NPY) for Scripts/check_onnx.py.")
    var checkInputs: String?

    @Option(help: "Samples in the --check-inputs batch.")
    var checkBatch = 3

    @OptionGroup var threading: ThreadsOption

    func run() throws {
        try threading.apply()
        guard single else { throw HNASError.argument("--single", why: "say what to export: --single (one backbone)") }
        guard checkBatch >= 1 else { throw HNASError.argument("--check-batch", why: "must be positive, got \(checkBatch)") }
        let plan = try singlePlan()
        let model = ONNXModel(graph: plan.graph, precision: fp16 ? .fp16 : .fp32,
                              metadata: ["hnas.dataset": dataset ?? "", "hnas.modality": modality ?? ""])
        let check = try checkInputs.map { _ in try plan.checkData(batch: checkBatch) }
        try model.write(to: URL(fileURLWithPath: out))
        if let checkInputs, let check { try check.write(to: URL(fileURLWithPath: checkInputs)) }
        let io = { (values: [GraphValue]) in values.map { "\($0.name) \($0.shape.text)" }.joined(separator: ", ") }
        print("\(out): ONNX opset \(ONNXModel.opset), \(model.precision.rawValue), \(model.graph.nodes.count) nodes; "
              + "inputs \(io(model.graph.inputs)); outputs \(io(model.graph.outputs))")
    }

    /// The plan of the `--single` backbone.
    private func singlePlan() throws -> ONNXExportPlan {
        func required(_ value: String?, _ flag: String) throws -> String {
            guard let value else { throw HNASError.argument(flag, why: "is required with --single") }
            return value
        }
        let dataset = try required(dataset, "--dataset"), modality = try required(modality, "--modality")
        let weights = try required(weights, "--weights")
        if modality == "text" {
            guard arch == nil else { throw HNASError.argument("--arch", why: "the text backbone is fixed; it has no architecture to choose") }
            let network = try MaxoutBackbone.stock(dataset: dataset).makeNetwork()
            try network.load(from: URL(fileURLWithPath: weights))
            return try ONNXExportPlan.backbone(.maxout(network), name: "hnas-\(dataset)-text", features: features)
        }
        let (supernet, config) = try SupernetArguments.load(dataset: dataset, modality: modality, weights: weights,
                                                            arch: try required(arch, "--arch"))
        let subnet = try supernet.extractSubnet(config)
        subnet.eval()
        let part = ONNXBackbonePart.ofa(subnet, inputName: modality, featureCount: StockSupernet.fusionFeatureCount(dataset: dataset),
                                        foldBatchNorm: !keepBatchNorm)
        return try ONNXExportPlan.backbone(part, name: "hnas-\(dataset)-\(modality)", features: features)
    }
}

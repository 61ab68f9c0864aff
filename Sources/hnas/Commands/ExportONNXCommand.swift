import ArgumentParser
import ExportONNX
import Foundation
import HNASKit
import HNASSearch

/// `hnas export onnx`: a whole multimodal model, or one backbone, as an ONNX file.
struct ExportONNXCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onnx",
        abstract: "Write a found model as an ONNX file (opset 17, dynamic batch axis, FP32 or FP16).",
        discussion: """
            --model DIR exports the complete multimodal model of a model directory (best/<id>/ of a search, or what \
            `hnas best` writes): every backbone subnet, the fixed text backbone and the fusion network with its \
            genotype's operators, one input per modality (`image`, `audio`, `text`) with its preprocessed shape, \
            output `logits` (the fusion network's), plus every fusion input `<modality>_feature_<k>` with --features.

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
              hnas export onnx --model runs/avmnist/best/3 --out avmnist.onnx --check-inputs check/
              hnas export onnx --single --dataset avmnist --modality image --weights w.safetensors --arch a.json --out image.onnx
              python3 Scripts/check_onnx.py image.onnx check/   # after --check-inputs check/
            """
    )

    @Option(help: "Model directory to export whole (best/<id>/ of a search, or the output of `hnas best`).")
    var model: String?

    @Flag(help: "Export one backbone (OFA subnet or the Maxout text backbone) instead of a model directory.")
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
        guard (model != nil) != single else {
            throw HNASError.argument("--model/--single", why: "say what to export: --model DIR (a whole model) or --single (one backbone)")
        }
        try ArgumentRange.check(checkBatch, ArgumentRange.batch, "--check-batch")
        try AtomicFile.checkDestination(URL(fileURLWithPath: out), "cannot write ONNX model", path: out)
        let plan: ONNXExportPlan
        var metadata: [String: String]
        if let model {
            let loaded = try MultimodalModel(directory: URL(fileURLWithPath: model), registry: makeRegistry())
            plan = try ONNXExportPlan(model: loaded, foldBatchNorm: !keepBatchNorm, features: features)
            metadata = ["hnas.dataset": loaded.manifest.dataset, "hnas.classes": loaded.manifest.classNames.joined(separator: ","),
                        "hnas.multi_label": String(loaded.manifest.multiLabel)]
        } else {
            plan = try singlePlan()
            metadata = ["hnas.dataset": dataset ?? "", "hnas.modality": modality ?? ""]
        }
        let onnx = ONNXModel(graph: plan.graph, precision: fp16 ? .fp16 : .fp32, metadata: metadata)
        let check = try checkInputs.map { _ in try plan.checkData(batch: checkBatch) }
        try onnx.write(to: URL(fileURLWithPath: out))
        if let checkInputs, let check { try check.write(to: URL(fileURLWithPath: checkInputs)) }
        let io = { (values: [GraphValue]) in values.map { "\($0.name) \($0.shape.text)" }.joined(separator: ", ") }
        print("\(out): ONNX opset \(ONNXModel.opset), \(onnx.precision.rawValue), \(onnx.graph.nodes.count) nodes; "
              + "inputs \(io(onnx.graph.inputs)); outputs \(io(onnx.graph.outputs))")
    }

    /// The plan of the `--single` backbone: a searched input's subnet (extracted from the supernet weights with
    /// their BatchNorm statistics, as `hnas infer`), or a fixed input's network with its weights.
    private func singlePlan() throws -> ONNXExportPlan {
        func required(_ value: String?, _ flag: String) throws -> String {
            guard let value else { throw HNASError.argument(flag, why: "is required with --single") }
            return value
        }
        let dataset = try required(dataset, "--dataset"), modality = try required(modality, "--modality")
        let weights = try required(weights, "--weights")
        let registry = makeRegistry()
        let pipeline = try registry.pipelines.make(dataset)
        let input = try pipeline.input(modality)
        let network: any BackboneNetwork
        if input.role == .searched {
            let (supernet, config) = try SupernetArguments.load(dataset: dataset, modality: modality, weights: weights,
                                                                arch: try required(arch, "--arch"))
            network = OFABackboneNetwork(network: try supernet.extractSubnet(config), backbone: supernet.backbone)
        } else {
            guard arch == nil else { throw HNASError.argument("--arch", why: "the \(modality) backbone is fixed; it has no architecture to choose") }
            network = try registry.backbones.make(input.backbone).makeNetwork(seed: 0)
            try network.load(from: URL(fileURLWithPath: weights))
        }
        guard let emitting = network as? any BackboneNetwork & GraphEmittingBackbone else {
            throw HNASError.argument("backbone '\(input.backbone)'", why: "has no ONNX mapping (it cannot emit its graph)")
        }
        let part = ONNXBackbonePart(emitting, inputName: modality, featureCount: input.fusionFeatures, foldBatchNorm: !keepBatchNorm)
        return try ONNXExportPlan.backbone(part, name: "hnas-\(dataset)-\(modality)", features: features)
    }
}

import ArgumentParser
import Foundation
import HNASKit
import HNASSearch

/// `hnas predict`: runs a whole multimodal model directory on one sample.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Run a model directory (best/<id>/ of a search, or `hnas best`'s output) on one sample.",
        discussion: """
            Every input of the model is given once as --input MODALITY=VALUE: a file (image: JPEG/PNG, or MM-IMDB's .npy poster; audio: WAV/FLAC; text: a .npy feature vector) or, for a text input that takes inline text (Memes), the text itself. Each is decoded and preprocessed by its modality plugin exactly as in the search, run through its backbone and the fusion network. Prints the class with the probability of every class (softmax), or for a multi-label model (MM-IMDB) the labels whose sigmoid exceeds the model's threshold (0.3), with every label's probability.

            Example:
              hnas predict --model runs/avmnist/best/evo_1_0 --input image=Data/avmnist-sample/mnist/test/0/00904.png --input audio=Data/avmnist-sample/sound_450/test/0/0_anniela_0.wav
              hnas predict --model best-memes --input image=meme.png --input text="the meme's text" --json
            """
    )

    @Option(help: "The model directory (model.json, arch.json, <input>.safetensors, fusion.safetensors).")
    var model: String

    @Option(name: .customLong("input"), help: "MODALITY=VALUE, once per input of the model (e.g. image=x.png).")
    var inputs: [String] = []

    @Flag(help: "Print the prediction as JSON.")
    var json = false

    @OptionGroup var threading: ThreadsOption

    func run() throws {
        try threading.apply()
        let registry = makeRegistry()
        let given = try Self.parse(inputs)
        // The manifest and every input are checked before the weights are loaded.
        let directory = URL(fileURLWithPath: model)
        let manifest = try ModelManifest.read(directory: directory)
        let tensors = try manifest.decodeInputs(given, registry: registry)
        let prediction = try MultimodalModel(directory: directory, manifest: manifest, registry: registry).predict(tensors)[0]
        print(json ? try Self.json(prediction) : Self.text(prediction, multiLabel: manifest.multiLabel), terminator: "")
    }

    /// `--input` values as modality → value.
    /// - Throws: `HNASError` naming `--input` for a value without `=` or a modality given twice.
    static func parse(_ values: [String]) throws -> [String: String] {
        var given: [String: String] = [:]
        for value in values {
            guard let equals = value.firstIndex(of: "="), equals != value.startIndex else {
                throw HNASError.argument("--input", why: "'\(value)' is not MODALITY=VALUE (e.g. image=photo.png)")
            }
            let modality = String(value[..<equals])
            guard given[modality] == nil else { throw HNASError.argument("--input", why: "\(modality) given twice") }
            given[modality] = String(value[value.index(after: equals)...])
        }
        return given
    }

    /// `class: NAME (p)` or `labels: A, B`, then one `NAME  p` line per class, highest first.
    static func text(_ prediction: MultimodalModel.Prediction, multiLabel: Bool) -> String {
        let head = multiLabel ? "labels: " + (prediction.labels.isEmpty ? "(none)" : prediction.labels.joined(separator: ", "))
            : "class: \(prediction.labels[0])"
        let width = prediction.probabilities.map(\.name.count).max() ?? 0
        let rows = prediction.probabilities.map { $0.name.padding(toLength: width, withPad: " ", startingAt: 0) + String(format: "  %.6f", $0.probability) }
        return ([head] + rows).joined(separator: "\n") + "\n"
    }

    static func json(_ prediction: MultimodalModel.Prediction) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(prediction), as: UTF8.self) + "\n"
    }
}

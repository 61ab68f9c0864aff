import Foundation
import HNASKit
import HNASSearch
import SearchDARTS
import XCTest
@testable import hnas

/// `hnas fusion-search --dataset`: two supernets' subnets on the embedded AV-MNIST sample, fused by a
/// tiny fusion search (untrained supernets, one epoch, narrow network), and its bad-input errors.
final class FusionSearchCommandTests: XCTestCase {
    /// Untrained supernets saved as `<dir>/avmnist-<modality>.safetensors` (seeds 1 and 2).
    private func tinyWeights() throws -> URL {
        let folder = try HNASProcess.temporaryFolder(for: self)
        for (seed, modality) in ["image", "audio"].enumerated() {
            let network = OFAMobileNetV3(space: try StockSupernet.space(dataset: "avmnist", modality: modality), seed: UInt64(seed + 1))
            try network.save(to: folder.appendingPathComponent(BackboneWeights.fileName(dataset: "avmnist", modality: modality)))
        }
        return folder
    }

    private func write(_ json: String, _ name: String, in folder: URL) throws -> String {
        let url = folder.appendingPathComponent(name)
        try json.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// The first number of `line` after `marker`.
    private func number(after marker: String, in line: String) -> Double? {
        guard let range = line.range(of: marker) else { return nil }
        return Double(line[range.upperBound...].prefix { "0123456789.+-".contains($0) })
    }

    func testDatasetRunFusesTheSubnetsAndSetsThemBesideEachAlone() throws {
        let weights = try tinyWeights()
        let folder = try HNASProcess.temporaryFolder(for: self)
        var generator = SeededGenerator(seed: 0)
        let backbones = Dictionary(uniqueKeysWithValues: StockBackbones.all.filter { $0.dataset == "avmnist" }.map { ($0.modality, $0.backbone) })
        let audioConfig = backbones["audio"]!.sample(.min, using: &generator)
        let architecture = Architecture(dataset: "avmnist", backbones: ["audio": audioConfig], fusion: nil)
        let arch = try write(String(decoding: try architecture.encoded(), as: UTF8.self), "arch.json", in: folder)
        let out = folder.appendingPathComponent("result.json").path
        let run = try HNASProcess.run(["fusion-search", "--dataset", "avmnist", "--data", "Data/avmnist-sample",
                                       "--image-arch", "min", "--audio-arch", arch, "--weights-dir", weights.path,
                                       "--steps", "1", "--epochs", "1", "--retrain-epochs", "1", "--channels", "8", "--length", "4",
                                       "--fusion", "random", "--seed", "3", "--threads", "2", "--quiet", "--out", out])
        XCTAssertEqual(run.status, 0, run.stderr)
        // --quiet leaves only the warnings that the weights (no hold-out recorded) may have seen the validation split.
        XCTAssertEqual(run.errorLines.count, 2, run.stderr)
        XCTAssertTrue(run.errorLines.allSatisfy { $0.hasPrefix("warning: ") && $0.contains("no hold-out recorded") }, run.stderr)

        // The genotype has the requested one cell over the 2 × 4 fusion features.
        XCTAssertTrue(run.lines.contains("fusion random, protocol sound, S=1 T=1, 8 input nodes"), run.stdout)
        let genotypeLine = try XCTUnwrap(run.lines.first { $0.hasPrefix("genotype: ") })
        XCTAssertEqual(try FusionGenotype(pythonRepr: String(genotypeLine.dropFirst("genotype: ".count))).steps.count, 1)
        let metric = try XCTUnwrap(number(after: "metric: ", in: run.stdout))
        let result = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any]
        XCTAssertEqual(try XCTUnwrap(result?["metric"] as? Double), metric, accuracy: 0.005)

        // Both subnets are scored alone; the image figure is what an independent recalibration and
        // evaluation of the same subnet on the test split gives.
        let imageLine = try XCTUnwrap(run.lines.first { $0.hasPrefix("image subnet ") }, run.stdout)
        let audioLine = try XCTUnwrap(run.lines.first { $0.hasPrefix("audio subnet \(audioConfig.description): ") }, run.stdout)
        let image = try XCTUnwrap(number(after: ": ", in: imageLine)), audio = try XCTUnwrap(number(after: ": ", in: audioLine))
        XCTAssertTrue(imageLine.contains("(validation ") && imageLine.contains("latency "), imageLine)
        let registry = makeRegistry()
        let pipeline = try registry.pipelines.make("avmnist")
        let source = try pipeline.open(root: HNASProcess.root.appendingPathComponent("Data/avmnist-sample"), registry: registry)
        let data = try SearchData.load(source, pipeline: pipeline, validationFraction: FusionSearchOptions().validationFraction, threads: 2)
        let supernet = try StockSupernet.load(dataset: "avmnist", modality: "image",
                                              weights: weights.appendingPathComponent("avmnist-image.safetensors"))
        var calibration = SeededGenerator(seed: 42)
        let (_, expected) = try SubnetEvaluation.evaluate(supernet, config: backbones["image"]!.sample(.min, using: &generator),
                                                          train: try data.train[0].materialized(), test: try data.test[0].materialized(),
                                                          generator: &calibration)
        XCTAssertEqual(image, expected, accuracy: 0.005)

        // The comparison line: multimodal minus the better unimodal test accuracy.
        let comparison = try XCTUnwrap(run.lines.first { $0.hasPrefix("multimodal ") }, run.stdout)
        XCTAssertEqual(number(after: "multimodal ", in: comparison)!, metric, accuracy: 0.005)
        XCTAssertTrue(comparison.contains("better unimodal (\(image >= audio ? "image" : "audio"))"), comparison)
        XCTAssertEqual(number(after: "%: ", in: comparison)!, metric - max(image, audio), accuracy: 0.011)
        XCTAssertTrue(run.lines.contains { $0.hasPrefix("time: ") && $0.hasSuffix("2 thread(s)") }, run.stdout)
    }

    func testDatasetBadInputIsOneErrorNamingTheProblem() throws {
        let weights = try tinyWeights()
        let empty = try HNASProcess.temporaryFolder(for: self)
        let base = ["fusion-search", "--dataset", "avmnist", "--data", "Data/avmnist-sample"]

        let missing = empty.appendingPathComponent("avmnist-image.safetensors").path
        assertOneErrorLine(try HNASProcess.run(base + ["--image-arch", "max", "--audio-arch", "max", "--weights-dir", empty.path]),
                           containing: [missing, "missing supernet weights",
                                        "hnas train-supernet --dataset avmnist --modality image --out \(missing)", "hnas search"])

        let wrongCount = try write(#"{"backbones": {"image": {"ks": [3, 3, 3], "e": [3, 3, 3, 3], "d": [2]}}}"#, "count.json", in: empty)
        assertOneErrorLine(try HNASProcess.run(base + ["--image-arch", wrongCount, "--audio-arch", "min", "--weights-dir", weights.path]),
                           containing: [wrongCount, "--image-arch", "backbones.image", "'ks' has 3 values, expected 4"])
        let wrongType = try write(#"{"backbones": {"audio": {"ks": "seven"}}}"#, "type.json", in: empty)
        assertOneErrorLine(try HNASProcess.run(base + ["--image-arch", "min", "--audio-arch", wrongType, "--weights-dir", weights.path]),
                           containing: [wrongType, "backbones.audio.ks"])
        let imageOnly = try write(#"{"backbones": {"image": {"ks": [3, 3, 3, 3], "e": [3, 3, 3, 3], "d": [2]}}}"#, "image.json", in: empty)
        assertOneErrorLine(try HNASProcess.run(base + ["--image-arch", "min", "--audio-arch", imageOnly, "--weights-dir", weights.path]),
                           containing: [imageOnly, "--audio-arch", "'backbones.audio' is missing"])
        assertOneErrorLine(try HNASProcess.run(base + ["--image-arch", "min", "--audio-arch", empty.appendingPathComponent("none.json").path,
                                                       "--weights-dir", weights.path]),
                           containing: ["none.json", "cannot read architecture"])

        assertOneErrorLine(try HNASProcess.run(base + ["--image-arch", "min", "--audio-arch", "min"]), containing: ["--weights-dir", "required"])
        assertOneErrorLine(try HNASProcess.run(base + ["--image-arch", "min", "--audio-arch", "min", "--weights-dir", weights.path,
                                                       "--hardware", "none"]), containing: ["--hardware", "tx2"])
        assertOneErrorLine(try HNASProcess.run(base + ["--synthetic", "--image-arch", "min", "--audio-arch", "min", "--weights-dir", weights.path]),
                           containing: ["exactly one feature source"])
        assertOneErrorLine(try HNASProcess.run(["fusion-search", "--dataset", "memes", "--image-arch", "min", "--audio-arch", "min",
                                                "--weights-dir", weights.path]), containing: ["--audio-arch", "memes has no searched audio input"])
        assertOneErrorLine(try HNASProcess.run(["fusion-search", "--dataset", "avmnist", "--data", empty.appendingPathComponent("nothing").path,
                                                "--image-arch", "min", "--audio-arch", "min", "--weights-dir", weights.path]),
                           containing: ["nothing", "missing dataset folder"])
    }
}

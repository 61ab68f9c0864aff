import Foundation
import XCTest

/// The bad-input corpus (`Fixtures/bad-inputs/`, written by `Scripts/make_bad_inputs.py`) through the real
/// `hnas` binary: every case must fail with a non-zero status and exactly one `error:` line naming the file
/// or argument, write nothing (no new, changed or removed file in the corpus or the case's working folder)
/// and finish within `timeout` (a hang fails).
///
/// Adding a case is one line in `cases`. Arguments may use `$C` (the corpus folder), `$R` (the package root)
/// and `$T` (the case's empty working folder, also its current directory).
final class BadInputCorpusTests: XCTestCase {
    /// Something a case needs in `$T` that cannot be committed (special files) or must not be touched in place.
    enum Setup {
        case none
        /// A FIFO (named pipe) with no writer at `$T/<name>`.
        case fifo(String)
        /// A symbolic link `$T/<name>` to `target`.
        case symlink(String, to: String)
        /// A copy of the corpus folder `$C/<source>` at `$T/<name>`.
        case copy(String, to: String)
    }

    struct Case {
        let arguments: [String]
        /// Text the error line must contain: the file or argument it names (and maybe the problem).
        let mentions: String
        let setup: Setup

        init(_ arguments: [String], _ mentions: String, _ setup: Setup = .none) {
            self.arguments = arguments
            self.mentions = mentions
            self.setup = setup
        }
    }

    static let weights = "$R/Tests/HNASKitTests/Fixtures/ofa/avmnist.safetensors"
    static let arch = "$C/arch/good.json"
    static func infer(input: String = "$C/npy/good-audio.npy", weights: String = weights, arch: String = arch, output: String = "$T/y.npy",
                      _ extra: [String] = []) -> [String] {
        ["infer", "--dataset", "avmnist", "--modality", "audio", "--weights", weights, "--arch", arch,
         "--input", input, "--output", output, "--threads", "1"] + extra
    }
    static func estimate(_ arch: String, device: String = "tx2", _ extra: [String] = []) -> [String] {
        ["lut", "estimate", "--device", device, "--dataset", "avmnist", "--arch", arch] + extra
    }
    static func search(_ extra: [String]) -> [String] { ["search", "--data", "$R/Data/avmnist-sample", "--out", "$T/run"] + extra }
    static func evalSubnet(_ extra: [String]) -> [String] {
        ["eval-subnet", "--dataset", "avmnist", "--modality", "audio", "--weights", weights, "--arch", arch] + extra
    }
    static func plot(_ genotype: String = "good.json", out: String = "$T/g.dot") -> [String] {
        ["genotype", "plot", "$C/genotype/\(genotype)", "--out", out]
    }
    /// An AV-MNIST test sample's two files, good inputs for the `predict` cases whose fault is elsewhere.
    static let image = "$R/Data/avmnist-sample/mnist/test/0/00904.png", sound = "$R/Data/avmnist-sample/sound_450/test/0/0_anniela_0.wav"
    /// `predict` on the corpus model directory `models/<model>` (or a path starting with `$`), one `--input` per value.
    static func predict(_ model: String = "avmnist", inputs: [String] = ["image=\(image)", "audio=\(sound)"], flags: [String] = []) -> [String] {
        ["predict", "--model", model.hasPrefix("$") ? model : "$C/models/\(model)"] + inputs.flatMap { ["--input", $0] } + flags
    }
    /// `best` on the corpus architecture `arch/<arch>` (or a path starting with `$`), writing `$T/model`.
    static func best(_ arch: String = "good.json", dataset: String = "avmnist", out: String = "$T/model", flags: [String] = []) -> [String] {
        ["best", "--dataset", dataset, "--arch", arch.hasPrefix("$") ? arch : "$C/arch/\(arch)", "--out", out] + flags
    }

    static let cases: [Case] = [
        // Images.
        Case(["features", "image", "$C/images/empty.png"], "images/empty.png': the file is empty"),
        Case(["features", "image", "$C/images/two-bytes.jpg"], "two-bytes.jpg': the file is truncated"),
        Case(["features", "image", "$C/images/text.png"], "text.png': not a JPEG or PNG"),
        Case(["features", "image", "$C/images/truncated.jpg"], "truncated.jpg"),
        Case(["features", "image", "$C/images/cmyk.jpg"], "cmyk.jpg"),
        Case(["features", "image", "$C/images/huge.png"], "huge.png"),
        Case(["features", "image", "$C/images/garbage-after-signature.png"], "garbage-after-signature.png"),
        Case(["features", "image", "$C/images"], "images': Is a directory"),
        Case(["features", "image", "$T/pipe.png"], "pipe.png': it is a FIFO", .fifo("pipe.png")),
        Case(["features", "image", "/dev/zero"], "/dev/zero': it is a character device"),
        // Audio.
        Case(["features", "mfcc", "$C/audio/empty.wav"], "empty.wav"),
        Case(["features", "mfcc", "$C/audio/text.wav"], "text.wav"),
        Case(["features", "mfcc", "$C/audio/truncated.wav"], "truncated.wav': the file is truncated"),
        Case(["features", "mfcc", "$C/audio/riff-garbage.wav"], "riff-garbage.wav"),
        Case(["features", "mfcc", "$T/pipe.wav"], "pipe.wav': it is a FIFO", .fifo("pipe.wav")),
        Case(["features", "mfcc", "/dev/null"], "/dev/null': it is a character device"),
        Case(["features", "mfcc", "$C/audio/empty.wav", "--frames", "100000000"], "--frames: must be between 0 and 100000"),
        Case(["features", "mfcc", "$C/audio/empty.wav", "--frames=-1"], "--frames"),
        Case(["features", "mfcc", "--benchmark", "$C/audio", "--threads", "0"], "--threads: must be between 1"),
        // Text.
        Case(["tokenize", "--file", "$C/text/latin1.txt"], "latin1.txt"),
        Case(["tokenize", "--file", "/dev/zero"], "/dev/zero': it is longer than the limit"),
        Case(["tokenize", "hello", "--context-length", "100000000000"], "--context-length: must be between 1 and 16384"),
        Case(["tokenize", "hello", "--context-length", "0"], "--context-length"),
        // NPY.
        Case(infer(input: "$C/npy/bad-magic.npy"), "bad-magic.npy"),
        Case(infer(input: "$C/npy/truncated.npy"), "truncated.npy': the payload is truncated"),
        Case(infer(input: "$C/npy/huge-shape.npy"), "huge-shape.npy"),
        Case(infer(input: "$C/npy/object.npy"), "object.npy"),
        Case(infer(input: "$C/npy/big-endian.npy"), "big-endian.npy"),
        Case(infer(input: "$C/npy/nested.npy"), "nested.npy': the header nests"),
        Case(infer(input: "$C/npy/version9.npy"), "version9.npy"),
        Case(infer(input: "$T/pipe.npy"), "pipe.npy': it is a FIFO", .fifo("pipe.npy")),
        Case(infer(input: "$C/npy/rank1.npy"), "rank1.npy': invalid input to OFAMobileNetV3: input [4] is not N×1×H×W"),
        Case(infer(["--feature-count", "0", "--features", "$T/features"]), "--feature-count"),
        Case(infer(["--feature-count", "1000", "--features", "$T/features"]), "--feature-count: cannot choose 1000 features"),
        Case(infer(["--features", "$C/arch/good.json"]), "good.json': it is not a folder"),
        Case(infer(output: "/dev/full"), "/dev/full': it is a character device; hnas replaces only regular files"),
        Case(infer(output: "$T/link.npy"), "link.npy': it is a symbolic link to a character device", .symlink("link.npy", to: "/dev/null")),
        Case(infer(output: "$T/out"), "out': it is a folder", .copy("datasets/no-layout", to: "out")),
        // safetensors.
        Case(infer(weights: "$C/safetensors/short.safetensors"), "short.safetensors"),
        Case(infer(weights: "$C/safetensors/header-too-long.safetensors"), "header-too-long.safetensors': header length"),
        Case(infer(weights: "$C/safetensors/header-not-json.safetensors"), "header-not-json.safetensors"),
        Case(infer(weights: "$C/safetensors/shape-overflow.safetensors"), "shape-overflow.safetensors"),
        Case(infer(weights: "$C/safetensors/overlap.safetensors"), "overlap.safetensors': entries 'a' and 'b' overlap"),
        Case(infer(weights: "$C/safetensors/out-of-range.safetensors"), "out-of-range.safetensors"),
        Case(infer(weights: "$C/safetensors/f16.safetensors"), "f16.safetensors': entry 'a' has dtype F16"),
        Case(infer(weights: "$C/safetensors/audio-weights.safetensors", ["--modality", "image"]), "modality 'audio', not 'image'"),
        Case(infer(weights: "$C/safetensors/memes-weights.safetensors"), "dataset 'memes', not 'avmnist'"),
        Case(["eval-text", "--dataset", "mmimdb", "--data", "$R/Tests/HNASKitTests/Fixtures/mmimdb", "--threads", "1",
              "--weights", "$C/safetensors/memes-weights.safetensors"], "memes-weights.safetensors': they were trained for dataset 'memes'"),
        // Architecture JSON and genotypes.
        Case(estimate("$C/arch/not-json.json"), "not-json.json': not valid JSON"),
        Case(estimate("$C/arch/ks-fraction.json"), "field 'backbones.image.ks[0]': 5.5 is not an integer"),
        Case(estimate("$C/arch/ks-string.json"), "ks-string.json"),
        Case(estimate("$C/arch/missing-audio.json"), "backbones.audio"),
        Case(estimate("$C/arch/few-edges.json"), "fusion.genotype.edges"),
        Case(estimate("$C/arch/forward-edge.json"), "fusion.genotype.edges[0]"),
        Case(estimate("$C/arch/negative-steps.json"), "fusion.steps"),
        Case(estimate("$C/arch/huge-int.json"), "huge-int.json"),
        Case(infer(arch: "$C/arch/ks-fraction.json"), "5.5 is not an integer"),
        Case(plot("few-edges.json"), "few-edges.json': genotype.edges"),
        Case(plot("forward-edge.json"), "genotype.edges[0]"),
        Case(plot("unknown-op.json"), "'Conv3x3' is not in the allowed set"),
        Case(plot("no-concat.json"), "genotype.concat"),
        Case(plot("truncated-repr.txt"), "truncated-repr.txt"),
        Case(plot(out: "$T/link.dot"), "link.dot': it is a symbolic link to a character device", .symlink("link.dot", to: "/dev/null")),
        Case(plot(out: "$T/sub.dot"), "sub.dot': it is a folder", .copy("datasets/no-layout", to: "sub.dot")),
        // Without Graphviz an .svg output gets `<out>.dot`; the output itself must still be a writable destination.
        Case(plot(out: "/dev/null"), "/dev/null': it is a character device"),
        Case(plot(out: "$T/pipe.svg"), "pipe.svg': it is a FIFO", .fifo("pipe.svg")),
        Case(plot(out: "$T/link.svg"), "link.svg': it is a symbolic link to a character device", .symlink("link.svg", to: "/dev/null")),
        // Cost tables.
        Case(estimate("$C/arch/good.json", device: "host", ["--table", "$C/lut/not-json.json"]), "not-json.json"),
        Case(estimate("$C/arch/good.json", device: "host", ["--table", "$C/lut/empty.json"]), "empty.json': it has no entries"),
        Case(estimate("$C/arch/good.json", device: "host", ["--table", "$C/lut/negative.json"]), "negative.json"),
        Case(estimate("$C/arch/good.json", device: "host", ["--table", "$C/lut/huge.json"]), "huge.json"),
        Case(estimate("$C/arch/good.json", device: "host", ["--table", "$C/lut/inf.json"]), "inf.json"),
        // CSV.
        Case(["pareto", "$C/csv/empty.csv"], "empty.csv"),
        Case(["pareto", "$C/csv/duplicate-column.csv"], "duplicate-column.csv': the header names column 'acc' twice"),
        Case(["pareto", "$C/csv/ragged.csv"], "ragged.csv': line 3"),
        Case(["pareto", "$C/csv/open-quote.csv"], "open-quote.csv"),
        Case(["pareto", "$C/csv/not-a-number.csv"], "not-a-number.csv"),
        Case(["pareto", "$C/csv/ten-objectives.csv", "--objectives", (0..<10).map { "f\($0):min" }.joined(separator: ",")],
             "hypervolume: the exact hypervolume of"),
        Case(["pareto", "$T/pipe.csv"], "pipe.csv': it is a FIFO", .fifo("pipe.csv")),
        Case(["pareto", "$C/csv/ten-objectives.csv", "--objectives", "f1:min,f2:min", "--benchmark", "100000000000"],
             "--benchmark: must be between 1 and 10000"),
        Case(["pareto", "$C/csv/ten-objectives.csv", "--objectives", "f1:min,f2:min", "--select", "0"], "--select: must be between 1 and 40"),
        // YAML search configs (refused before the data is loaded or anything is written).
        Case(search(["--config", "$C/yaml/alias-bomb.yml"]), "alias-bomb.yml': it expands to more than"),
        Case(search(["--config", "$C/yaml/not-yaml.yml"]), "not-yaml.yml"),
        Case(search(["--config", "$C/yaml/list.yml"]), "list.yml': the top level is not a mapping"),
        Case(search(["--config", "$C/yaml/population-huge.yml"]), "parent_popu_size: must be between 1 and 1000, got 1000000000"),
        Case(search(["--config", "$C/yaml/channels-huge.yml"]), "channels: 100000000 is above the limit"),
        Case(search(["--config", "$C/yaml/multiplier-huge.yml"]), "multiplier"),
        Case(search(["--config", "$C/yaml/evo-iter-fraction.yml"]), "evo_iter"),
        Case(search(["--config", "$C/yaml/calibration-zero.yml"]), "post_bn_calibration_batch_num: must be at least 1"),
        Case(search(["--config", "$C/yaml/not-utf8.yml"]), "not-utf8.yml': not UTF-8"),
        Case(search(["--config", "$T/pipe.yml"]), "pipe.yml': it is a FIFO", .fifo("pipe.yml")),
        // Search flags.
        Case(search(["--population", "1000000000"]), "--population / evo_search_outer.parent_popu_size: must be between 1 and 1000"),
        Case(search(["--generations=-1"]), "--generations"),
        Case(search(["--max-energy", "inf"]), "--max-energy: must be a positive finite number"),
        Case(search(["--max-latency", "nan"]), "--max-latency"),
        Case(search(["--fusion-epochs", "0"]), "--fusion-epochs"),
        Case(search(["--threads", "0"]), "--threads"),
        Case(search(["--supernet-epochs", "0"]), "--supernet-epochs: must be between 1 and 10000, got 0"),
        Case(search(["--samples", "0"]), "--samples: must be between 1 and 100000000, got 0"),
        Case(evalSubnet(["--calibration-batches=-1"]), "--calibration-batches: must be between 1"),
        Case(evalSubnet(["--calibration-batches", "0"]), "--calibration-batches"),
        Case(["train-supernet", "--modality", "image", "--batch-size", "0"], "--batch-size: must be between 2 and 65536, got 0"),
        Case(["train-supernet", "--modality", "image", "--epochs", "0"], "--epochs: must be between 1 and 10000, got 0"),
        Case(["train-supernet", "--modality", "image", "--shift", "100000"], "--shift"),
        Case(["train-supernet", "--modality", "image", "--classes", "1000000000"], "--classes: must be between 1 and 100000, got 1000000000"),
        Case(["train-text", "--dataset", "memes", "--data", "$T/nothing", "--epochs", "0"], "--epochs: must be between 1 and 10000, got 0"),
        Case(["train-text", "--dataset", "memes", "--data", "$T/nothing", "--lr", "0"], "--lr: must be a finite number above 0"),
        Case(["fusion-search", "--synthetic", "--steps", "100000"], "--steps: must be between 1 and 16, got 100000"),
        Case(["fusion-search", "--synthetic", "--node-steps", "100000"], "node-steps"),
        Case(["fusion-search", "--synthetic", "--synthetic-nodes", "100000000"], "--synthetic-nodes: must be between 1 and 64"),
        Case(["fusion-search", "--synthetic", "--synthetic-samples", "1000000000,10"], "--synthetic-samples"),
        Case(["fusion-search", "--synthetic", "--channels", "100000000"], "--channels: must be between 1 and 4096, got 100000000"),
        Case(["fusion-search", "--synthetic", "--batch-size", "1"], "--batch-size: must be between 2 and 65536, got 1"),
        Case(["fusion-search", "--synthetic", "--arch-lr=-1"], "--arch-lr: must be a finite number above 0"),
        Case(["fusion-search", "--synthetic", "--length", "5"], "--length: 5 is not a perfect square"),
        // Benchmarks and the other numeric flags: the allowed range is in the error.
        Case(["bench", "gemm", "--repeats", "0"], "--repeats: must be between 1 and 10000, got 0"),
        Case(["bench", "gemm", "--batch", "0"], "--batch: must be between 1 and 65536, got 0"),
        Case(["bench", "train-step", "--iters", "100000000"], "--iters: must be between 1 and 10000, got 100000000"),
        Case(["bench", "train-step", "--warmup=-1"], "--warmup: must be between 0 and 10000, got -1"),
        Case(["bench", "train-step", "--threads", "5000"], "--threads: must be between 1 and 1024, got 5000"),
        Case(["bench", "train-step", "--rounds", "100000"], "--rounds: must be between 1 and 1000, got 100000"),
        Case(["bench", "fusion-step", "--batch", "1"], "--batch: must be between 2 and 65536, got 1"),
        Case(["bench", "fusion-step", "--classes", "0"], "--classes: must be between 1 and 100000, got 0"),
        Case(["bench", "fusion-step", "--steps", "17"], "--steps: must be between 1 and 16, got 17"),
        Case(["bench", "fusion-step", "--node-steps", "0"], "--node-steps: must be between 1 and 16, got 0"),
        Case(["bench", "fusion-step", "--channels", "16,0"], "--channels: must be between 1 and 4096, got 0"),
        Case(["bench", "fusion-step", "--channels", "16"], "--channels (input nodes): must be between 2 and 128, got 1"),
        Case(["bench", "fusion-step", "--iters", "0"], "--iters: must be between 1 and 10000, got 0"),
        Case(["bench", "fusion", "--seeds", "1,,2"], "--seeds: '' is not a seed"),
        Case(["bench", "fusion", "--nodes-per-modality", "0"], "--nodes-per-modality: must be between 1 and 64, got 0"),
        Case(["bench", "fusion", "--epochs", "0"], "--epochs: must be between 1 and 10000, got 0"),
        Case(["bench", "fusion", "--lr", "nan"], "--lr: must be a finite number above 0 and at most 10.0, got nan"),
        Case(["bench", "fusion", "--hardware-weight=-1"], "--hardware-weight: must be a finite number between 0.0 and 1000.0, got -1.0"),
        Case(["lut", "profile", "--dataset", "avmnist", "--out", "$T/t.json", "--repeats", "0"], "--repeats: must be between 1 and 10000, got 0"),
        Case(["lut", "profile", "--dataset", "avmnist", "--out", "$T/t.json", "--warmup=-1"], "--warmup: must be between 0 and 10000, got -1"),
        Case(["data", "bench", "$R/Data/avmnist-sample", "--dataset", "avmnist", "--batch-size", "0"], "--batch-size: must be between 1 and 65536"),
        Case(["data", "bench", "$R/Data/avmnist-sample", "--dataset", "avmnist", "--limit=-1"], "--limit: must be between 0 and 100000000"),
        Case(["features", "image", "$C/images/text.png", "--size", "100000"], "--size: must be between 1 and 8192, got 100000"),
        Case(["features", "mfcc", "$C/audio/empty.wav", "--decimate", "0"], "--decimate: must be between 1 and 1000, got 0"),
        Case(["features", "mfcc", "$C/audio/empty.wav", "--sample-rate", "inf"], "--sample-rate: must be a finite number above 0"),
        Case(["export", "onnx", "--single", "--dataset", "avmnist", "--modality", "audio", "--weights", weights, "--arch", arch,
              "--out", "$T/m.onnx", "--check-batch", "0"], "--check-batch: must be between 1 and 65536, got 0"),
        Case(["export", "onnx", "--single", "--dataset", "avmnist", "--modality", "audio", "--weights", weights, "--arch", arch,
              "--out", "/dev/full"], "/dev/full': it is a character device; hnas replaces only regular files"),
        // Whole model directories (`predict`): the manifest and every input are checked before any weights are read.
        Case(predict(inputs: ["image=\(image)"]), "--input: missing audio=…"),
        Case(predict(inputs: ["image=\(image)", "audio=\(sound)", "text=hello"]), "--input text: the model has no 'text' input"),
        Case(predict(inputs: ["image"]), "'image' is not MODALITY=VALUE"),
        Case(predict(inputs: ["image=\(image)", "image=\(image)"]), "--input: image given twice"),
        Case(predict(inputs: ["image=\(sound)", "audio=\(sound)"]), "0_anniela_0.wav': not a JPEG or PNG"),
        Case(predict(inputs: ["image=\(image)", "audio=\(image)"]), "00904.png"),
        Case(predict(inputs: ["image=/dev/zero", "audio=\(sound)"]), "/dev/zero': it is a character device"),
        Case(predict(inputs: ["image=$T/pipe.png", "audio=\(sound)"]), "pipe.png': it is a FIFO", .fifo("pipe.png")),
        Case(predict(inputs: ["image=$T/nothing.png", "audio=\(sound)"]), "nothing.png': no such file (the image modality reads files only)"),
        Case(predict("$T/nothing"), "nothing': no such folder"),
        Case(predict("$C/arch/good.json"), "good.json': it is not a folder"),
        Case(predict("no-manifest"), "no-manifest': model.json is missing"),
        Case(predict("missing-fusion"), "missing-fusion': missing fusion.safetensors"),
        Case(predict("manifest-not-json"), "manifest-not-json/model.json': not valid JSON"),
        Case(predict("other-format"), "format 'hnas-model-0' is not hnas-model-1"),
        Case(predict("zero-features"), "inputs[0].fusion_features: must be between 1 and 64, got 0"),
        Case(predict("outside"), "inputs[0].weights: '../image.safetensors' is not a file name inside the model directory"),
        Case(predict("threshold"), "threshold: must be in (0, 1), got 1.5"),
        Case(predict(), "models/avmnist/image.safetensors"),
        Case(predict(flags: ["--threads", "0"]), "--threads: must be between 1 and 1024, got 0"),
        // `best`: the output, the architecture and every flag are checked before the data is loaded or weights trained.
        Case(best("not-json.json"), "not-json.json': not valid JSON"),
        Case(best("$T/pipe.json"), "pipe.json': it is a FIFO", .fifo("pipe.json")),
        Case(best("no-fusion.json"), "fusion: missing"),
        Case(best("no-genotype.json", flags: ["--genotype-only"]), "fusion.genotype: missing"),
        Case(best("missing-audio.json"), "backbones.audio: missing"),
        Case(best("ks-out-of-space.json"), "backbones.image: gene 'ks'[0] = 4 is not in the allowed set"),
        Case(best("few-edges.json", flags: ["--genotype-only"]), "fusion.genotype.edges"),
        Case(best(dataset: "memes"), "the architecture is for 'avmnist', not 'memes'"),
        Case(best(out: "$C/arch"), "will not overwrite"),
        Case(best(flags: ["--fusion", "nope"]), "--fusion: 'nope' is not registered"),
        Case(best(flags: ["--hardware", "nope"]), "'nope' is not registered"),
        Case(best(flags: ["--fusion-epochs", "0"]), "--fusion-epochs: must be between 1 and 10000, got 0"),
        Case(best(flags: ["--channels", "100000"]), "--channels: must be between 1 and 4096, got 100000"),
        Case(best(flags: ["--length", "5"]), "--length: 5 is not a perfect square"),
        Case(best(flags: ["--supernet-epochs", "0"]), "--supernet-epochs: must be between 1 and 10000, got 0"),
        Case(best(flags: ["--data", "$T/nothing"]), "nothing': no such file or directory"),
        // Dataset folders.
        Case(["data", "check", "$C/datasets/no-layout", "--dataset", "avmnist"], "no-layout"),
        Case(["data", "check", "$C/datasets/no-sound", "--dataset", "avmnist"], "no-sound"),
        Case(["data", "check", "$C/csv/empty.csv", "--dataset", "avmnist"], "empty.csv"),
        Case(["search", "--data", "$T/nothing", "--out", "$T/run"], "nothing"),
        Case(["search", "--data", "$C/datasets/no-sound", "--out", "$T/run"], "invalid dataset layout: 20 problems, the first: missing folder"),
        // Run directories: a folder that is not hnas's, a damaged saved state.
        Case(["search", "--data", "$R/Data/avmnist-sample", "--out", "$T/foreign"], "foreign': it holds files and no .hnas-run marker",
             .copy("runs/foreign", to: "foreign")),
        Case(["search", "--out", "$T/bad", "--resume"], "generations/000.json", .copy("runs/bad-state", to: "bad")),
        Case(["search", "--out", "$T/foreign", "--resume"], "foreign/config.json", .copy("runs/foreign", to: "foreign")),
    ]

    /// Every file below `url` (relative path → size and modification time), symbolic links and FIFOs included.
    static func snapshot(_ url: URL) -> [String: String] {
        var result: [String: String] = [:]
        guard let walker = FileManager.default.enumerator(atPath: url.path) else { return result }
        for case let path as String in walker {
            var info = stat()
            guard lstat(url.appendingPathComponent(path).path, &info) == 0 else { continue }
            result[path] = "\(info.st_mode) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
        }
        return result
    }

    func testEveryBadInputFailsWithOneErrorLineAndWritesNothing() throws {
        let corpus = HNASProcess.root.appendingPathComponent("Tests/hnasTests/Fixtures/bad-inputs")
        let before = Self.snapshot(corpus)
        XCTAssertGreaterThan(before.count, 50, "run Scripts/make_bad_inputs.py")
        let scratch = try HNASProcess.temporaryFolder(for: self)
        let failures = NSLock()
        var messages: [String] = []
        DispatchQueue.concurrentPerform(iterations: Self.cases.count) { index in
            let testCase = Self.cases[index]
            let folder = scratch.appendingPathComponent("case-\(index)")
            func expand(_ text: String) -> String {
                text.replacingOccurrences(of: "$C", with: corpus.path).replacingOccurrences(of: "$R", with: HNASProcess.root.path)
                    .replacingOccurrences(of: "$T", with: folder.path)
            }
            var problems: [String] = []
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                switch testCase.setup {
                case .none: break
                case .fifo(let name): guard mkfifo(folder.appendingPathComponent(name).path, 0o644) == 0 else { throw CocoaError(.fileWriteUnknown) }
                case .symlink(let name, let target):
                    try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent(name).path, withDestinationPath: target)
                case .copy(let source, let name):
                    try FileManager.default.copyItem(at: corpus.appendingPathComponent(source), to: folder.appendingPathComponent(name))
                }
                let files = Self.snapshot(folder)
                let run = try HNASProcess.run(testCase.arguments.map(expand), in: folder, timeout: 60)
                let mentions = expand(testCase.mentions)
                if run.status == 0 { problems.append("exit status 0") }
                if run.errorLines.count != 1 || !run.stderr.hasPrefix("error: ") {
                    problems.append("stderr is not one error line: \(run.stderr.prefix(600))")
                } else if !run.stderr.contains(mentions) {
                    problems.append("error does not mention '\(mentions)': \(run.stderr)")
                }
                if Self.snapshot(folder) != files {
                    problems.append("files changed in the working folder: \(Set(Self.snapshot(folder).keys).symmetricDifference(files.keys).sorted())")
                }
            } catch {
                problems.append("\(error)")
            }
            if !problems.isEmpty {
                failures.lock()
                messages.append("case \(index) \(testCase.arguments.joined(separator: " ")): " + problems.joined(separator: "; "))
                failures.unlock()
            }
        }
        for message in messages.sorted() { XCTFail(message) }
        XCTAssertEqual(Self.snapshot(corpus), before, "the corpus changed")
    }
}

import ArgumentParser
import Dispatch
import Foundation
import HNASKit
import ModalityImage

/// `hnas features image FILE`: decode a JPEG/PNG (or MM-IMDB `.npy` poster) and preprocess it as a
/// dataset of the original does, or with an explicit size; print its shape and per-channel
/// statistics, or the whole tensor as JSON. With `--benchmark DIR` it measures how many images
/// per second are decoded and preprocessed.
struct FeaturesImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "Decode and preprocess one image; print its shape and statistics (or the tensor with --json).",
        discussion: """
            Without --dataset the image is converted to RGB (or gray with --gray), optionally resized (shorter side to --size, then centre-cropped to --size x --size, as torchvision's Resize + CenterCrop) and scaled to [0, 1] (ToTensor).

            --dataset applies the original's preprocessing: avmnist (gray, Normalize(0.5, 0.5)), mmimdb (bilinear 224 x 224, rounded, unscaled), memes (bicubic 112 + centre crop + CLIP Normalize).

            Examples:
              hnas features image digit.png --dataset avmnist
              hnas features image photo.jpg --size 28 --gray --json
              hnas features image --benchmark images/ --threads 2 --dataset memes
            """
    )

    @Argument(help: "The image file (JPEG or PNG, recognised by content; .npy for mmimdb).")
    var file: String?

    @Option(help: "Use this dataset's preprocessing: avmnist, mmimdb or memes.")
    var dataset: String?

    @Option(help: "Resize the shorter side to this size, then centre-crop to size x size.")
    var size: Int?

    @Flag(help: "Convert to one gray channel (PIL's convert(\"L\")) instead of RGB.")
    var gray = false

    @Option(help: "Resampling filter for --size: bicubic or bilinear.")
    var filter: String = ResampleFilter.bicubic.rawValue

    @Flag(help: "Print the shape and all values as JSON instead of statistics.")
    var json = false

    @Option(help: "Benchmark: decode and preprocess every file of this folder, print images per second.")
    var benchmark: String?

    @Option(help: "Benchmark: worker threads.")
    var threads: Int = 1

    @Option(help: "Benchmark: passes over the folder.")
    var repeats: Int = 3

    func run() throws {
        let preprocessing = try makePreprocessing()
        if let folder = benchmark {
            try runBenchmark(folder: folder, preprocessing: preprocessing)
            return
        }
        guard let file else {
            throw HNASError.argument("FILE", why: "give an image file (or --benchmark DIR)")
        }
        let tensor = try ImageModality().load(URL(fileURLWithPath: file), preprocessing: preprocessing)
        print(json ? Self.json(tensor) : Self.statistics(tensor, file: file))
    }

    private func makePreprocessing() throws -> ImagePreprocessing {
        if let dataset {
            guard size == nil, !gray else {
                throw HNASError.argument("--dataset", why: "sets size and colour itself; do not combine it with --size or --gray")
            }
            let pipeline = try makeRegistry().pipelines.make(dataset)
            guard let image = pipeline.inputs.first(where: { $0.modality == "image" }) else {
                throw HNASError.argument("--dataset", why: "pipeline '\(dataset)' has no image input")
            }
            return try ImagePreprocessing(options: image.options)
        }
        guard let resample = ResampleFilter(rawValue: filter) else {
            throw HNASError.argument("--filter", why: "'\(filter)' is not one of \(ResampleFilter.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let size { try ArgumentRange.check(size, ArgumentRange.imageSize, "--size") }
        let model: PixelImage.ColorModel = gray ? .gray : .rgb
        return ImagePreprocessing(
            colorModel: model,
            geometry: size.map { .shorterSideAndCenterCrop(size: $0, filter: resample) } ?? .unchanged,
            normalization: .unit(channels: model.rawValue))
    }

    /// Shape plus min/max/mean/std of each channel (first axis).
    static func statistics(_ tensor: Tensor, file: String) -> String {
        var lines = ["file: \(file)", "shape: \(tensor.shape)"]
        let channels = tensor.shape.first ?? 1
        let plane = channels > 0 ? tensor.count / channels : 0
        for c in 0..<channels where plane > 0 {
            let values = tensor.scalars[(c * plane)..<((c + 1) * plane)]
            let mean = values.reduce(0.0) { $0 + Double($1) } / Double(plane)
            let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(plane)
            lines.append(String(format: "channel %d: min %.6f max %.6f mean %.6f std %.6f",
                                c, Double(values.min()!), Double(values.max()!), mean, variance.squareRoot()))
        }
        return lines.joined(separator: "\n")
    }

    /// `{"shape": [...], "values": [...]}` with values in row-major order, each printed with the
    /// shortest decimal that reads back as the same float32.
    static func json(_ tensor: Tensor) -> String {
        let shape = tensor.shape.map(String.init).joined(separator: ", ")
        let values = tensor.scalars.map { "\($0)" }.joined(separator: ", ")
        return "{\"shape\": [\(shape)], \"values\": [\(values)]}"
    }

    private func runBenchmark(folder: String, preprocessing: ImagePreprocessing) throws {
        try ArgumentRange.check(threads, ArgumentRange.threads, "--threads")
        try ArgumentRange.check(repeats, ArgumentRange.repeats, "--repeats")
        let directory = URL(fileURLWithPath: folder)
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        } catch {
            throw HNASError.file(folder, "cannot list benchmark folder", why: FileContents.reason(error))
        }
        let files = names.map { directory.appendingPathComponent($0) }
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
        guard !files.isEmpty else {
            throw HNASError.file(folder, "cannot benchmark", why: "the folder holds no files")
        }
        let modality = ImageModality()
        _ = try modality.load(files[0], preprocessing: preprocessing) // warm-up; also fails early on a bad file
        let workers = threads
        let failures = FailureBox()
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<repeats {
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for index in stride(from: worker, to: files.count, by: workers) {
                    do {
                        _ = try modality.load(files[index], preprocessing: preprocessing)
                    } catch {
                        failures.record(error)
                    }
                }
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if let error = failures.first { throw error }
        let images = files.count * repeats
        print(String(format: "%d images (%d files x %d passes) on %d thread%@ in %.3f s: %.1f images/s",
                     images, files.count, repeats, workers, workers == 1 ? "" : "s", seconds, Double(images) / seconds))
    }
}

/// The first error raised by any benchmark worker.
private final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var first: Error?

    func record(_ error: Error) {
        lock.lock()
        if first == nil { first = error }
        lock.unlock()
    }
}

import Foundation

/// The harmful-memes pipeline (Harm-P, politics; SPEC-hardware-and-data §3.3).
///
/// ```
/// <root>/images/<image file>
/// <root>/annotations/{train,val,test}.jsonl    one meme per line: id, image, text, labels
/// ```
/// Rows keep file order. Images are decoded by the `image` modality (`"memes"`: bicubic shorter side
/// 112, centre crop, CLIP normalisation → 3 × 112 × 112); the text is handed inline to the `text`
/// modality (an `InlineTextModality`: CLIP token ids, 77 floats). Labels follow the original:
/// `labels[0]` is the harmfulness level — 3 classes by default; with `extended` the original's
/// 9 classes combine level and target (`labels[1]`). Unlike the original, which maps any unknown
/// level to class 2, an unknown label string is reported as a problem. The original also requires
/// precomputed ROI/entity tensors (`harmeme_pol_*_{ROI,ent}.pt`) that it never uses; hnas does not
/// need them. The `val` split is listed (and checked) when present, although the original never
/// loads it; a missing `val.jsonl` is only a note.
public enum Memes {
    /// The dataset key and preprocessing name.
    public static let name = "memes"
    /// The original's batching: 64 for training and test.
    public static let batching = OriginalBatching(trainBatchSize: 64, testBatchSize: 64)
    /// The annotation files, in split order.
    public static let splitNames = ["train", "val", "test"]
    /// The harmfulness levels, in class order.
    public static let levels = ["not harmful", "somewhat harmful", "very harmful"]
    /// The target types of the 9-class variant, in class order within a level.
    public static let targets = ["individual", "organization", "community", "society"]

    /// The class names: the 3 levels, or the 9 level/target combinations with `extended`.
    public static func classNames(extended: Bool) -> [String] {
        extended ? [levels[0]] + levels.dropFirst().flatMap { level in targets.map { "\(level) / \($0)" } } : levels
    }

    /// The class of an annotation's `labels`, or why it has none.
    public static func classIndex(of labels: [String], extended: Bool) -> Result<Int, LabelError> {
        guard let level = labels.first, let levelIndex = levels.firstIndex(of: level) else {
            return .failure(LabelError(why: "labels[0] must be one of \(levels.map { "'\($0)'" }.joined(separator: ", ")), found \(labels.first.map { "'\($0)'" } ?? "nothing")"))
        }
        guard extended, levelIndex > 0 else { return .success(levelIndex) }
        guard labels.count > 1, let target = targets.firstIndex(of: labels[1]) else {
            return .failure(LabelError(why: "the 9-class labels need labels[1] in \(targets.joined(separator: ", ")) for '\(level)', found \(labels.count > 1 ? "'\(labels[1])'" : "nothing")"))
        }
        return .success(1 + (levelIndex - 1) * targets.count + target)
    }

    /// Why an annotation's labels give no class.
    public struct LabelError: Error, Equatable, Sendable {
        public let why: String
    }

    /// Opens the dataset at `root`, decoding images through `image` and texts through `text`.
    /// - Throws: `HNASError` naming the file (and line) of every problem (see `list(root:extended:)`).
    public static func open(root: URL, image: DatasetInput, text: DatasetInput, extended: Bool = false) throws -> Dataset {
        dataset(splits: try list(root: root, extended: extended).validSplits(), image: image, text: text, extended: extended)
    }

    /// The dataset of already listed `splits`.
    public static func dataset(splits: [DatasetSplit], image: DatasetInput, text: DatasetInput, extended: Bool = false) -> Dataset {
        Dataset(name: name,
                inputs: [image, text],
                classNames: classNames(extended: extended), isMultiLabel: false, splits: splits)
    }

    /// Lists the three annotation files, collecting every problem with its file and line: a missing
    /// folder or file, a line that is not a JSON object, a missing or mistyped field, an unknown
    /// label, an image file that does not exist, a meme id used twice in one split.
    public static func list(root: URL, extended: Bool = false) -> DatasetListing {
        var listing = DatasetListing()
        guard FolderListing.isFolder(root) else {
            listing.problems.append(.file(root.relativePath, "missing dataset folder", why: "expected a memes folder with images/ and annotations/"))
            return listing
        }
        let images = root.appendingPathComponent("images")
        guard FolderListing.isFolder(images) else {
            listing.problems.append(.file(images.relativePath, "missing folder", why: "the memes layout needs images/"))
            return listing
        }
        for split in splitNames {
            let file = root.appendingPathComponent("annotations/\(split).jsonl")
            guard let data = FileManager.default.contents(atPath: file.path) else {
                if split == "val" {
                    listing.notes.append("\(file.relativePath) is missing; the original never loads the val split")
                } else {
                    listing.problems.append(.file(file.relativePath, "missing annotation file", why: "the memes layout needs annotations/\(split).jsonl"))
                }
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                listing.problems.append(.file(file.relativePath, "cannot read annotations", why: "the file is not UTF-8"))
                continue
            }
            var samples: [Sample] = []
            var seen: [String: Int] = [:]
            for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !line.isEmpty else { continue }
                let location = "\(file.relativePath):\(offset + 1)"
                switch parse(line, images: images, extended: extended) {
                case .failure(let problem):
                    listing.problems.append(.file(location, problem.what, why: problem.why))
                case .success(let meme):
                    if let first = seen.updateValue(offset + 1, forKey: meme.id) {
                        listing.problems.append(.file(location, "duplicate sample", why: "meme id '\(meme.id)' is also on line \(first)"))
                    } else if !FileManager.default.fileExists(atPath: meme.image.path) {
                        listing.problems.append(.file(location, "unpaired sample", why: "image '\(meme.image.relativePath)' does not exist"))
                    } else {
                        samples.append(Sample(id: meme.id, inputs: [.file(meme.image), .text(meme.text)], label: .index(meme.label)))
                    }
                }
            }
            listing.splits.append(DatasetSplit(name: split, samples: samples))
        }
        return listing
    }

    private struct Meme {
        let id: String
        let image: URL
        let text: String
        let label: Int
    }

    private struct LineProblem: Error {
        let what: String
        let why: String
    }

    private static func parse(_ line: String, images: URL, extended: Bool) -> Result<Meme, LineProblem> {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
            return .failure(LineProblem(what: "invalid JSON line", why: "the line is not a JSON object"))
        }
        func field<T>(_ key: String, _ type: String) -> Result<T, LineProblem> {
            guard let value = object[key] as? T else {
                return .failure(LineProblem(what: "invalid annotation", why: "field '\(key)' is missing or not \(type)"))
            }
            return .success(value)
        }
        let id: String, image: String, text: String, labels: [String]
        switch (field("id", "a string") as Result<String, LineProblem>, field("image", "a string") as Result<String, LineProblem>,
                field("text", "a string") as Result<String, LineProblem>, field("labels", "an array of strings") as Result<[String], LineProblem>) {
        case (.success(let i), .success(let m), .success(let t), .success(let l)): (id, image, text, labels) = (i, m, t, l)
        case (.failure(let p), _, _, _), (_, .failure(let p), _, _), (_, _, .failure(let p), _), (_, _, _, .failure(let p)): return .failure(p)
        }
        switch classIndex(of: labels, extended: extended) {
        case .failure(let error): return .failure(LineProblem(what: "label out of range", why: error.why))
        case .success(let label): return .success(Meme(id: id, image: images.appendingPathComponent(image), text: text, label: label))
        }
    }
}

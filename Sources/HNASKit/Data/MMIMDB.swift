import Foundation

/// The MM-IMDB pipeline: the per-sample `.npy` layout the original's converter writes
/// (SPEC-hardware-and-data §3.2).
///
/// ```
/// <root>/mmimdb_split.json                      the split file (written by `hnas data prepare mmimdb`)
/// <root>/{train,dev,test}/image_{k:06d}.npy     3 × 256 × 160 integers (mean-subtracted BGR)
/// <root>/{train,dev,test}/text_{k:06d}.npy      300 float32 (averaged word2vec of the plot)
/// <root>/{train,dev,test}/label_{k:06d}.npy     23 multi-hot genres
/// ```
/// Sample k of a stage is the k-th id of that stage in the split file. Images are decoded by the
/// `image` modality (bilinear resize to 224 × 224 without antialiasing, rounded, not normalised),
/// texts by the `text` modality (the stored vector); labels are read here as 23-d multi-hot floats.
/// The original hard-codes the stage lengths (15552 / 2608 / 7799); hnas takes them from the split
/// file, so small subsets (and the test fixtures) work too. The dev stage is listed (and checked)
/// although the original never loads it.
public enum MMIMDB {
    /// The dataset key and preprocessing name.
    public static let name = "mmimdb"
    /// The original's batching: 16 for training and test.
    public static let batching = OriginalBatching(trainBatchSize: 16, testBatchSize: 16)
    /// The split file's name inside a prepared folder.
    public static let splitFileName = "mmimdb_split.json"
    /// The 23 genre columns, in the order of the MM-IMDB authors' genre table. The original never
    /// names its label columns; nothing in hnas depends on these names but messages.
    public static let genres = [
        "Drama", "Comedy", "Romance", "Thriller", "Crime", "Action", "Adventure", "Horror",
        "Documentary", "Mystery", "Sci-Fi", "Fantasy", "Family", "Biography", "War", "History",
        "Animation", "Musical", "Western", "Sport", "Short", "Music", "Film-Noir",
    ]
    /// The per-sample files of stage index k.
    public static let parts = ["image", "text", "label"]

    /// The file name of `part` for sample `index`, e.g. `image_000042.npy`.
    public static func fileName(_ part: String, index: Int) -> String {
        let digits = String(index)
        return "\(part)_\(String(repeating: "0", count: max(0, 6 - digits.count)))\(digits).npy"
    }

    /// Opens the prepared dataset at `root`, decoding through `image` and `text`.
    /// - Throws: `HNASError` naming the path of every layout problem (see `list(root:)`).
    public static func open(root: URL, image: DatasetInput, text: DatasetInput) throws -> Dataset {
        dataset(splits: try list(root: root).validSplits(), image: image, text: text)
    }

    /// The dataset of already listed `splits`.
    public static func dataset(splits: [DatasetSplit], image: DatasetInput, text: DatasetInput) -> Dataset {
        Dataset(name: name,
                inputs: [image, text],
                classNames: genres, isMultiLabel: true, splits: splits,
                labelDecoder: { url in try NPYFile(contentsOf: url).tensor() })
    }

    /// Lists the `train`, `dev` and `test` stages, collecting every problem: a missing or invalid
    /// split file, missing stage folders, a sample missing one of its three files (unpaired), and
    /// files that belong to no sample (names not of the form `<part>_<k:06d>.npy`, or k beyond the
    /// stage's length).
    public static func list(root: URL) -> DatasetListing {
        var listing = DatasetListing()
        let split: MMIMDBSplit
        do {
            split = try MMIMDBSplit(contentsOf: root.appendingPathComponent(splitFileName))
        } catch let error as HNASError {
            listing.problems.append(FolderListing.isFolder(root) ? error
                : .file(root.relativePath, "missing dataset folder", why: "expected a prepared MM-IMDB folder (hnas data prepare mmimdb)"))
            return listing
        } catch {
            preconditionFailure("MMIMDBSplit throws HNASError only")
        }
        for stage in MMIMDBSplit.stages {
            let folder = root.appendingPathComponent(stage)
            let ids = split.ids[stage] ?? []
            let names: Set<String>
            do {
                let entries = try FolderListing.entries(of: folder)
                names = Set(entries.files)
                for name in entries.folders {
                    listing.problems.append(.file(folder.appendingPathComponent(name).relativePath, "wrong layout", why: "stage folders hold .npy files only"))
                }
            } catch let error as HNASError {
                listing.problems.append(error)
                continue
            } catch {
                preconditionFailure("FolderListing throws HNASError only")
            }
            var expected = Set<String>()
            var samples: [Sample] = []
            for (k, id) in ids.enumerated() {
                let files = parts.map { fileName($0, index: k) }
                expected.formUnion(files)
                let missing = files.filter { !names.contains($0) }
                guard missing.isEmpty else {
                    listing.problems.append(.file(folder.relativePath, "unpaired sample",
                                                  why: "sample \(k) (id \(id)) has no \(missing.joined(separator: ", "))"))
                    continue
                }
                samples.append(Sample(id: id, inputs: [.file(folder.appendingPathComponent(files[0])), .file(folder.appendingPathComponent(files[1]))],
                                      label: .file(folder.appendingPathComponent(files[2]))))
            }
            for name in names.subtracting(expected).sorted(by: FolderListing.precedes) {
                listing.problems.append(.file(folder.appendingPathComponent(name).relativePath, "unexpected file",
                                              why: "not a sample of the \(ids.count) '\(stage)' ids in \(splitFileName)"))
            }
            listing.splits.append(DatasetSplit(name: stage, samples: samples))
        }
        return listing
    }
}

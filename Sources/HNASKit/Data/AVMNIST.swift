import Foundation

/// The AV-MNIST pipeline: the original's folder layout, sample selection and image–sound pairing
/// (SPEC-hardware-and-data §3.1).
///
/// ```
/// <root>/mnist/{train,test}/<d>/<image files>            d = 0…9, label = folder name
/// <root>/sound_450/{train,test}/<d>/<d>_<speaker>_<k>.wav
/// ```
/// Lists are sorted byte-wise. Training: the first 105 images of each class (60 with `small`) and
/// the sounds chosen by `SpeakerPairing`; test: the last 45 images and all sounds, which must be
/// exactly 45. Position i of the class-major image list is paired with position i of the sound list.
/// Images and sounds are decoded by the injected `image` and `audio` modalities with the
/// `"avmnist"` preprocessing (1×28×28 and 1×20×20).
public enum AVMNIST {
    /// The dataset key and preprocessing name.
    public static let name = "avmnist"
    /// The class names: the digits.
    public static let classNames = (0...9).map(String.init)
    /// The original's batching: 256 for training and test.
    public static let batching = OriginalBatching(trainBatchSize: 256, testBatchSize: 256)
    /// Test pairs per class (the `450` of `sound_450`).
    public static let testPerClass = 45
    static let imageExtensions: Set<String> = ["png", "jpg", "jpeg", "bmp", "gif", "tif", "tiff", "webp"]

    /// Training pairs per class: 105, or 60 for the original's `small_dataset: True`.
    public static func trainPerClass(small: Bool) -> Int { small ? 60 : 105 }

    /// Opens the dataset at `root`, decoding through `image` and `audio`.
    /// - Throws: `HNASError` naming the path of every layout problem (see `list(root:small:)`).
    public static func open(root: URL, image: DatasetInput, audio: DatasetInput, small: Bool = false) throws -> Dataset {
        dataset(splits: try list(root: root, small: small).validSplits(), image: image, audio: audio)
    }

    /// The dataset of already listed `splits`, decoding through `image` and `audio`.
    public static func dataset(splits: [DatasetSplit], image: DatasetInput, audio: DatasetInput) -> Dataset {
        Dataset(name: name,
                inputs: [image, audio],
                classNames: classNames, isMultiLabel: false, splits: splits)
    }

    /// Lists and pairs the `train` and `test` splits, collecting every problem: missing folders,
    /// class folders other than 0…9, files of the wrong kind, sound names not of the form
    /// `<d>_<speaker>_<k>.wav` with d the folder's digit, too few images, too few sounds for the
    /// pairing rule, and test sound folders not holding exactly 45 files.
    public static func list(root: URL, small: Bool = false) -> DatasetListing {
        var listing = DatasetListing()
        guard FolderListing.isFolder(root) else {
            listing.problems.append(.file(root.relativePath, "missing dataset folder", why: "expected an AV-MNIST folder with mnist/ and sound_450/"))
            return listing
        }
        for split in ["train", "test"] {
            var samples: [Sample] = []
            let imageRoot = root.appendingPathComponent("mnist/\(split)")
            let soundRoot = root.appendingPathComponent("sound_450/\(split)")
            let imageClasses = classFolders(imageRoot, into: &listing)
            let soundClasses = classFolders(soundRoot, into: &listing)
            guard imageClasses && soundClasses else { continue }
            for (label, digit) in classNames.enumerated() {
                let images = imageRoot.appendingPathComponent(digit)
                let sounds = soundRoot.appendingPathComponent(digit)
                guard let imageFiles = files(in: images, into: &listing),
                      let soundFiles = files(in: sounds, into: &listing) else { continue }
                let pairs = split == "train"
                    ? pairTrain(images: imageFiles, sounds: soundFiles, imageFolder: images, soundFolder: sounds, small: small, into: &listing)
                    : pairTest(images: imageFiles, sounds: soundFiles, imageFolder: images, soundFolder: sounds, into: &listing)
                for (i, pair) in (pairs ?? []).enumerated() {
                    samples.append(Sample(id: "\(split)/\(digit)/\(i)",
                                          files: [images.appendingPathComponent(pair.image), sounds.appendingPathComponent(pair.sound)],
                                          label: .index(label)))
                }
            }
            listing.splits.append(DatasetSplit(name: split, samples: samples))
        }
        return listing
    }

    /// Checks that `folder` holds exactly the class folders 0…9; returns false when it is missing.
    private static func classFolders(_ folder: URL, into listing: inout DatasetListing) -> Bool {
        do {
            let entries = try FolderListing.entries(of: folder)
            for name in entries.folders where !classNames.contains(name) {
                listing.problems.append(.file(folder.appendingPathComponent(name).relativePath, "label out of range",
                                              why: "class folders must be named 0…9"))
            }
            for name in entries.files {
                listing.problems.append(.file(folder.appendingPathComponent(name).relativePath, "wrong layout",
                                              why: "expected only class folders 0…9 here"))
            }
            for digit in classNames where !entries.folders.contains(digit) {
                listing.problems.append(.file(folder.appendingPathComponent(digit).relativePath, "missing folder", why: "every class 0…9 needs a folder"))
            }
            return true
        } catch let error as HNASError {
            listing.problems.append(error)
            return false
        } catch {
            preconditionFailure("FolderListing throws HNASError only")
        }
    }

    /// The sorted files of a class folder, with subfolders reported as layout problems.
    private static func files(in folder: URL, into listing: inout DatasetListing) -> [String]? {
        guard let entries = try? FolderListing.entries(of: folder) else { return nil } // reported by classFolders
        for name in entries.folders {
            listing.problems.append(.file(folder.appendingPathComponent(name).relativePath, "wrong layout", why: "class folders hold files, not folders"))
        }
        return entries.files
    }

    private static func checkImages(_ files: [String], folder: URL, into listing: inout DatasetListing) {
        for name in files where !imageExtensions.contains((name as NSString).pathExtension.lowercased()) {
            listing.problems.append(.file(folder.appendingPathComponent(name).relativePath, "wrong layout", why: "not an image file (expected .png or .jpg)"))
        }
    }

    private static func checkSounds(_ files: [String], folder: URL, into listing: inout DatasetListing) {
        let digit = folder.lastPathComponent
        for name in files {
            let fields = name.split(separator: "_", omittingEmptySubsequences: false)
            if (name as NSString).pathExtension.lowercased() != "wav" || fields.count != 3 || fields[1].isEmpty {
                listing.problems.append(.file(folder.appendingPathComponent(name).relativePath, "wrong layout",
                                              why: "sound files must be named <digit>_<speaker>_<k>.wav"))
            } else if fields[0] != digit {
                listing.problems.append(.file(folder.appendingPathComponent(name).relativePath, "label mismatch",
                                              why: "the file name says digit \(fields[0]) but it is in class folder \(digit)"))
            }
        }
    }

    private static func pairTrain(images: [String], sounds: [String], imageFolder: URL, soundFolder: URL, small: Bool,
                                  into listing: inout DatasetListing) -> [(image: String, sound: String)]? {
        checkImages(images, folder: imageFolder, into: &listing)
        checkSounds(sounds, folder: soundFolder, into: &listing)
        let n = trainPerClass(small: small)
        guard images.count >= n else {
            listing.problems.append(.file(imageFolder.relativePath, "too few images", why: "training uses the first \(n) images of each class, found \(images.count)"))
            return nil
        }
        let rule = SpeakerPairing.rule(for: sounds)
        switch rule.select(sounds, count: n) {
        case .failure(let shortage):
            let ruleName = rule == .fsdd ? "the FSDD speaker rule" : "the sorted speaker round-robin rule"
            listing.problems.append(.file(soundFolder.relativePath, "unpaired samples",
                                          why: "\(ruleName) needs \(shortage.need) sounds of \(shortage.of), found \(shortage.found)"))
            return nil
        case .success(let chosen):
            if sounds.count > n { listing.notes.append("\(soundFolder.relativePath): \(sounds.count - n) sounds left unused by the pairing rule") }
            if images.count > n { listing.notes.append("\(imageFolder.relativePath): \(images.count - n) images left unused (training takes the first \(n))") }
            return zip(images.prefix(n), chosen).map { ($0, $1) }
        }
    }

    private static func pairTest(images: [String], sounds: [String], imageFolder: URL, soundFolder: URL,
                                 into listing: inout DatasetListing) -> [(image: String, sound: String)]? {
        checkImages(images, folder: imageFolder, into: &listing)
        checkSounds(sounds, folder: soundFolder, into: &listing)
        guard images.count >= testPerClass else {
            listing.problems.append(.file(imageFolder.relativePath, "too few images", why: "the test split uses the last \(testPerClass) images of each class, found \(images.count)"))
            return nil
        }
        guard sounds.count == testPerClass else {
            listing.problems.append(.file(soundFolder.relativePath, "unpaired samples",
                                          why: "a test class pairs the last \(testPerClass) images with all its sounds, which must be exactly \(testPerClass); found \(sounds.count)"))
            return nil
        }
        if images.count > testPerClass { listing.notes.append("\(imageFolder.relativePath): \(images.count - testPerClass) images left unused (test takes the last \(testPerClass))") }
        return zip(images.suffix(testPerClass), sounds).map { ($0, $1) }
    }
}

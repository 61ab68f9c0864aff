import XCTest
@testable import HNASKit

final class AVMNISTTests: XCTestCase {
    /// An AV-MNIST folder in the original layout; every file holds its own distinct number
    /// (images: 1000·class + file number; sounds: 10000 + 1000·class + 100·speaker + k), so decoded
    /// values identify the file. `trainImages` images and `trainTakes` sounds per speaker per class.
    private func makeFolder(trainImages: Int = 105, trainTakes: Int = 36, testImages: Int = 46, fsdd: Bool = true) throws -> URL {
        let root = try makeTemporaryFolder(self)
        let fm = FileManager.default
        func write(_ folder: String, _ name: String, _ value: Int) {
            writeSmallFile("\(root.path)/\(folder)/\(name)", "\(value)")
        }
        for d in 0..<10 {
            for folder in ["mnist/train", "mnist/test", "sound_450/train", "sound_450/test"] {
                try fm.createDirectory(at: root.appendingPathComponent("\(folder)/\(d)"), withIntermediateDirectories: true)
            }
            for i in 0..<trainImages { write("mnist/train/\(d)", "img\(i).png", 1000 * d + i) }
            for i in 0..<testImages { write("mnist/test/\(d)", "t\(i).png", 1000 * d + i) }
            let speakers = fsdd ? ["jackson", "nicolas", "theo"] : ["voicea", "voiceb", "voicec", "voiced", "voicee"]
            for (s, speaker) in speakers.enumerated() {
                for k in 0..<trainTakes { write("sound_450/train/\(d)", "\(d)_\(speaker)_\(k).wav", 10000 + 1000 * d + 100 * s + k) }
                for k in 0..<(45 / speakers.count) { write("sound_450/test/\(d)", "\(d)_\(speaker)_\(k).wav", 20000 + 1000 * d + 100 * s + k) }
            }
        }
        return root
    }

    func testPairsTheOriginalWayOnFSDDNames() throws {
        let root = try makeFolder()
        let listing = AVMNIST.list(root: root)
        XCTAssertEqual(listing.problems, [])
        let splits = try listing.validSplits()
        XCTAssertEqual(splits.map(\.name), ["train", "test"])
        XCTAssertEqual(splits.map(\.samples.count), [1050, 450])
        let train = splits[0].samples
        // class-major; images are the first 105 in byte-wise order: img0, img1, img10, img100, img101, …
        XCTAssertEqual(train[0].inputs.map(\.name), ["img0.png", "0_jackson_0.wav"])
        XCTAssertEqual(train[3].inputs.map(\.name), ["img100.png", "0_jackson_11.wav"])
        XCTAssertEqual(train[35].inputs[1].name, "0_nicolas_0.wav")
        XCTAssertEqual(train[70].inputs[1].name, "0_theo_0.wav")
        XCTAssertEqual(train[105].label, .index(1))
        XCTAssertEqual(train[105].inputs[0].location, root.appendingPathComponent("mnist/train/1/img0.png").path)
        // test: the last 45 of 46 sorted images (t0, t1, t10…t19, t2, … → drops t0)
        let test = splits[1].samples
        XCTAssertEqual(test[0].inputs.map(\.name), ["t1.png", "0_jackson_0.wav"])
        XCTAssertEqual(test[449].inputs.map(\.name), ["t9.png", "9_theo_9.wav"])
        XCTAssertEqual(test[449].label, .index(9))
        XCTAssertTrue(listing.notes.contains { $0.hasSuffix("3 sounds left unused by the pairing rule") })

        // decoding goes through the injected modalities
        let image = FakeModality(name: "image", shape: [1, 28, 28]), audio = FakeModality(name: "audio", shape: [1, 20, 20])
        let dataset = try AVMNIST.open(root: root, image: DatasetInput(modality: image, options: [:]),
                                       audio: DatasetInput(modality: audio, options: [:]))
        XCTAssertEqual(dataset.inputs.map(\.name), ["image", "audio"])
        let sample = try dataset.load(try dataset.split("train").samples[36])
        XCTAssertEqual(sample.inputs[0].shape, [1, 28, 28])
        XCTAssertEqual(sample.inputs[0].scalars[0], 37) // position 36 of the sorted list is img37.png
        XCTAssertEqual(sample.inputs[1].shape, [1, 20, 20])
        XCTAssertEqual(sample.inputs[1].scalars[0], 10000 + 100 + 1) // 0_nicolas_1.wav
        XCTAssertEqual(sample.target.scalars, [0])
    }

    func testRoundRobinForOtherSpeakerNamesAndSmallDataset() throws {
        let root = try makeFolder(trainTakes: 21, fsdd: false)
        let train = try AVMNIST.list(root: root).validSplits()[0].samples
        XCTAssertEqual(train.count, 1050)
        XCTAssertEqual(train.prefix(6).map { $0.inputs[1].name },
                       ["0_voicea_0.wav", "0_voiceb_0.wav", "0_voicec_0.wav", "0_voiced_0.wav", "0_voicee_0.wav", "0_voicea_1.wav"])
        // the original's small_dataset: the first 60 images, 12 rounds of the 5 speakers
        let small = try AVMNIST.list(root: root, small: true).validSplits()[0].samples
        XCTAssertEqual(small.count, 600)
        XCTAssertEqual(small[59].inputs.map(\.name), ["img58.png", "0_voicee_19.wav"])
        XCTAssertEqual(small[60].inputs.map(\.name), ["img0.png", "1_voicea_0.wav"])
    }

    func testReportsEveryLayoutProblemWithItsPath() throws {
        let root = try makeFolder()
        let fm = FileManager.default
        try fm.removeItem(at: root.appendingPathComponent("mnist/train/7"))                 // missing class
        try writeFile(root, "mnist/test/10/x.png", "1")                                     // label out of range
        try fm.removeItem(at: root.appendingPathComponent("sound_450/test/3/3_theo_0.wav")) // 44 test sounds
        try writeFile(root, "sound_450/train/2/2_jackson.wav", "1")                         // bad name
        try writeFile(root, "sound_450/train/5/6_theo_99.wav", "1")                         // wrong digit
        for k in 0..<10 { try fm.removeItem(at: root.appendingPathComponent("sound_450/train/4/4_nicolas_\(k).wav")) }
        let problems = AVMNIST.list(root: root).problems.map(\.description)
        let expected = [
            "missing folder '\(root.path)/mnist/train/7'",
            "label out of range '\(root.path)/mnist/test/10'",
            "unpaired samples '\(root.path)/sound_450/test/3': a test class pairs the last 45 images with all its sounds, which must be exactly 45; found 44",
            "wrong layout '\(root.path)/sound_450/train/2/2_jackson.wav'",
            "label mismatch '\(root.path)/sound_450/train/5/6_theo_99.wav'",
            "unpaired samples '\(root.path)/sound_450/train/4': the FSDD speaker rule needs 35 sounds of nicolas, found 26",
        ]
        for prefix in expected {
            XCTAssertTrue(problems.contains { $0.hasPrefix(prefix) }, "missing problem: \(prefix)\nin: \(problems)")
        }
        XCTAssertEqual(problems.count, expected.count, "\(problems)")
        XCTAssertThrowsError(try AVMNIST.list(root: root).validSplits())
    }

    func testMissingRootIsAnError() {
        let problems = AVMNIST.list(root: URL(fileURLWithPath: "/nonexistent/avmnist")).problems
        XCTAssertEqual(problems.map(\.description), ["missing dataset folder '/nonexistent/avmnist': expected an AV-MNIST folder with mnist/ and sound_450/"])
    }

    /// The committed sample: complete, paired by the round-robin rule, train and test speakers disjoint.
    func testEmbeddedSampleListsCleanly() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Data/avmnist-sample")
        let listing = AVMNIST.list(root: root)
        XCTAssertEqual(listing.problems, [])
        XCTAssertEqual(listing.notes, [])
        let splits = try listing.validSplits()
        XCTAssertEqual(splits.map(\.samples.count), [1050, 450])
        let speakers = splits.map { Set($0.samples.map { SpeakerPairing.speaker(of: $0.inputs[1].name) }) }
        XCTAssertEqual(speakers[0].count, 15)
        XCTAssertEqual(speakers[1].count, 5)
        XCTAssertTrue(speakers[0].isDisjoint(with: speakers[1]))
    }
}

import XCTest
@testable import HNASKit

final class DataLoaderTests: XCTestCase {
    /// A dataset of `count` samples decoded by `modality`; sample i's file holds the number i
    /// (sample `badSample` holds text that does not decode) and its class is i % 3.
    private func makeDataset(count: Int, modality: FakeModality, badSample: Int? = nil) throws -> Dataset {
        let root = try makeTemporaryFolder(self)
        var samples: [Sample] = []
        for i in 0..<count {
            let url = root.appendingPathComponent("s\(i).txt")
            writeSmallFile(url.path, i == badSample ? "garbage" : "\(i)")
            samples.append(Sample(id: "s\(i)", files: [url], label: .index(i % 3)))
        }
        return Dataset(name: "fake", inputs: [DatasetInput(modality: modality, options: [:])],
                       classNames: ["a", "b", "c"], isMultiLabel: false, splits: [DatasetSplit(name: "train", samples: samples)])
    }

    private func drain(_ stream: BatchStream) throws -> [Batch] {
        var batches: [Batch] = []
        while let batch = try stream.next() { batches.append(batch) }
        return batches
    }

    func testBatchesStackAlongANewLeadingAxisInOrder() throws {
        let dataset = try makeDataset(count: 10, modality: FakeModality(name: "image", shape: [2, 3]))
        let loader = try DataLoader(dataset: dataset, split: "train", options: .init(batchSize: 4), generator: SeededGenerator(seed: 1))
        XCTAssertEqual(loader.batchCount, 3)
        let batches = try drain(loader.epoch())
        XCTAssertEqual(batches.map(\.count), [4, 4, 2])
        XCTAssertEqual(batches[0].inputs[0].shape, [4, 2, 3])
        XCTAssertEqual(batches[2].inputs[0].shape, [2, 2, 3])
        XCTAssertEqual(Array(batches[1].inputs[0].scalars[0..<6]), [Float](repeating: 4, count: 6))
        XCTAssertEqual(Array(batches[1].inputs[0].scalars[6..<12]), [Float](repeating: 5, count: 6))
        XCTAssertEqual(batches[1].targets.shape, [4])
        XCTAssertEqual(batches[1].classIndices, [1, 2, 0, 1])
    }

    func testDropLastAndSeededShuffling() throws {
        let dataset = try makeDataset(count: 1050, modality: FakeModality(name: "image", shape: [1]))
        let options = DataLoader.Options(batchSize: 256, shuffle: true, dropLast: true, threads: 2)
        let a = try DataLoader(dataset: dataset, split: "train", options: options, generator: SeededGenerator(seed: 42))
        let b = try DataLoader(dataset: dataset, split: "train", options: options, generator: SeededGenerator(seed: 42))
        XCTAssertEqual(a.batchCount, 4) // 1024 of 1050, as the original's train loader
        let a1 = try drain(a.epoch()), a2 = try drain(a.epoch()), b1 = try drain(b.epoch())
        XCTAssertEqual(a1.map(\.count), [256, 256, 256, 256])
        XCTAssertEqual(a1, b1, "same seed, same order")
        XCTAssertNotEqual(a1.flatMap(\.indices), a2.flatMap(\.indices), "every epoch reshuffles")
        let visited = a1.flatMap(\.indices)
        XCTAssertEqual(Set(visited).count, 1024)
        XCTAssertNotEqual(visited, Array(0..<1024))
        // inputs follow the indices
        XCTAssertEqual(a1[0].inputs[0].scalars, a1[0].indices.map(Float.init))
    }

    func testThreadCountDoesNotChangeTheBatches() throws {
        let dataset = try makeDataset(count: 97, modality: FakeModality(name: "image", shape: [3]))
        func run(threads: Int, prefetch: Int) throws -> [Batch] {
            let options = DataLoader.Options(batchSize: 8, shuffle: true, threads: threads, prefetch: prefetch)
            return try drain(try DataLoader(dataset: dataset, split: "train", options: options, generator: SeededGenerator(seed: 7)).epoch())
        }
        let one = try run(threads: 1, prefetch: 1)
        XCTAssertEqual(one.count, 13)
        XCTAssertEqual(try run(threads: 2, prefetch: 4), one)
        XCTAssertEqual(try run(threads: 3, prefetch: 1), one)
    }

    func testCacheDecodesEachSampleOnce() throws {
        let modality = FakeModality(name: "image", shape: [5])
        let dataset = try makeDataset(count: 20, modality: modality)
        let loader = try DataLoader(dataset: dataset, split: "train",
                                    options: .init(batchSize: 6, shuffle: true, threads: 2, cacheBytes: 1 << 20),
                                    generator: SeededGenerator(seed: 3))
        let first = try drain(loader.epoch())
        _ = try drain(loader.epoch())
        XCTAssertEqual(modality.callCount, 20)
        XCTAssertEqual(loader.cache?.count, 20)
        XCTAssertEqual(first.flatMap(\.inputs[0].scalars).count, 100)

        // A cache too small for all samples keeps what fits and decodes the rest every time.
        let small = try DataLoader(dataset: dataset, split: "train",
                                   options: .init(batchSize: 6, cacheBytes: 10 * 4 * 6), generator: SeededGenerator(seed: 3))
        _ = try drain(small.epoch())
        XCTAssertEqual(small.cache?.count, 10)
    }

    func testDecodingErrorsNameTheFileAndEndTheEpoch() throws {
        let dataset = try makeDataset(count: 12, modality: FakeModality(name: "image", shape: [1]), badSample: 9)
        let stream = try DataLoader(dataset: dataset, split: "train", options: .init(batchSize: 4, threads: 2),
                                    generator: SeededGenerator(seed: 1)).epoch()
        XCTAssertNotNil(try stream.next())
        XCTAssertNotNil(try stream.next())
        XCTAssertThrowsError(try stream.next()) { error in
            XCTAssertTrue("\(error)".hasPrefix("cannot decode fake image '"), "\(error)")
            XCTAssertTrue("\(error)".contains("s9.txt"), "\(error)")
        }
        XCTAssertNil(try stream.next())
    }

    func testAbandonedEpochStopsItsWorkers() throws {
        let modality = FakeModality(name: "image", shape: [1])
        let dataset = try makeDataset(count: 100, modality: modality)
        var stream: BatchStream? = try DataLoader(dataset: dataset, split: "train", options: .init(batchSize: 2, threads: 2, prefetch: 2),
                                                  generator: SeededGenerator(seed: 1)).epoch()
        _ = try stream?.next()
        stream = nil
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertLessThan(modality.callCount, 20, "workers stop once the stream is gone")
    }

    func testLabelsAndOptionsAreValidated() throws {
        let dataset = try makeDataset(count: 3, modality: FakeModality(name: "image", shape: [1]))
        XCTAssertThrowsError(try dataset.decodeLabel(of: Sample(id: "x", files: [], label: .index(3)))) { error in
            XCTAssertEqual("\(error)", "label out of range in 'x': class 3 is not in 0..<3")
        }
        XCTAssertThrowsError(try DataLoader(dataset: dataset, split: "test", options: .init(batchSize: 1), generator: SeededGenerator(seed: 1)))
        XCTAssertThrowsError(try DataLoader(dataset: dataset, split: "train", options: .init(batchSize: 0), generator: SeededGenerator(seed: 1)))
        XCTAssertThrowsError(try DataLoader(dataset: dataset, split: "train", options: .init(batchSize: 1, threads: 0), generator: SeededGenerator(seed: 1)))
    }

    func testOriginalBatchingOfAVMNIST() throws {
        func virtual(_ count: Int) -> Dataset {
            let samples = (0..<count).map { Sample(id: "\($0)", inputs: [.text("\($0)")], label: .index($0 % 10)) }
            return Dataset(name: "avmnist", inputs: [DatasetInput(name: "x") { try Tensor(shape: [1], scalars: [Float($0.name)!]) }],
                           classNames: AVMNIST.classNames, isMultiLabel: false,
                           splits: [DatasetSplit(name: "train", samples: samples)])
        }
        let train = try DataLoader(dataset: virtual(1050), split: "train", options: AVMNIST.batching.options(training: true),
                                   generator: SeededGenerator(seed: 42))
        XCTAssertEqual(try drain(train.epoch()).map(\.count), [256, 256, 256, 256])
        let test = try DataLoader(dataset: virtual(450), split: "train", options: AVMNIST.batching.options(training: false, threads: 2),
                                  generator: SeededGenerator(seed: 42))
        let batches = try drain(test.epoch())
        XCTAssertEqual(batches.map(\.count), [256, 194])
        XCTAssertEqual(batches.flatMap(\.indices), Array(0..<450))
        XCTAssertEqual([MMIMDB.batching.trainBatchSize, MMIMDB.batching.testBatchSize, Memes.batching.trainBatchSize], [16, 16, 64])
    }
}

import Foundation
import XCTest
@testable import HNASKit

/// Supernet training on a split decoded batch by batch (`hnas train-supernet --dataset mmimdb`: the posters are
/// never all decoded at once): only the batches a step needs are decoded, and the training equals the training
/// on the same data held in memory.
final class StreamedSupernetTrainingTests: XCTestCase {
    /// Counts decodes across the loader's threads.
    private final class DecodeCounter: @unchecked Sendable {
        private let lock = NSLock()
        private var decodes = 0
        var count: Int {
            lock.lock()
            defer { lock.unlock() }
            return decodes
        }

        func add() {
            lock.lock()
            decodes += 1
            lock.unlock()
        }
    }

    /// `train` and `test` (multi-label bars) as a dataset whose `image` input is decoded on demand, one sample
    /// per call, counted by `counter`; labels are read through the label decoder.
    private func dataset(train: TensorDataset, test: TensorDataset, counter: DecodeCounter) -> Dataset {
        let data = ["train": train, "test": test]
        func split(_ name: String) -> DatasetSplit {
            DatasetSplit(name: name, samples: (0..<data[name]!.count).map {
                Sample(id: "\(name)-\($0)", inputs: [.text("\(name) \($0)")], label: .file(URL(fileURLWithPath: "/\(name)/\($0)")))
            })
        }
        let image = DatasetInput(name: "image") { source in
            guard case .text(let key) = source else { throw HNASError.argument("source", why: "not a sample key") }
            let parts = key.split(separator: " ")
            counter.add()
            let x = data[String(parts[0])]!.inputs([Int(parts[1])!])
            return try x.reshaped(Array(x.shape.dropFirst()))
        }
        return Dataset(name: "bars", inputs: [image], classNames: ["a", "b", "c"], isMultiLabel: true, splits: [split("train"), split("test")],
                       labelDecoder: { url in
                           try data[url.deletingLastPathComponent().lastPathComponent]!.multiHotBatch([Int(url.lastPathComponent)!])!.reshaped([3])
                       })
    }

    func testTrainingDecodesOnlyEachStepsBatchAndEqualsInMemoryTraining() throws {
        let train = try MultiLabelSupernetTrainerTests.bars(count: 16, seed: 1), test = try MultiLabelSupernetTrainerTests.bars(count: 8, seed: 2)
        let counter = DecodeCounter()
        let data = dataset(train: train, test: test, counter: counter)
        let streamedTrain = try InputSplit(dataset: data, split: "train", input: PipelineInput(modality: "image", role: .searched,
                                                                                               backbone: "b", fusionFeatures: 4, streamed: true),
                                           threads: 2)
        let streamedTest = try InputSplit(dataset: data, samples: try data.split("test").samples, input: "image", threads: 1)
        XCTAssertTrue(streamedTrain.isStreamed)
        XCTAssertEqual(streamedTrain.multiHot, train.multiHot)
        XCTAssertEqual(counter.count, 2, "each split decodes its first input only (for the sample shape)")

        var options = SupernetTrainerTests.options(.sandwich, epochs: 1)
        options.batchSize = 4
        let streamed = try SupernetTrainer(network: OFAMobileNetV3(space: MultiLabelSupernetTrainerTests.space, seed: 4),
                                           train: streamedTrain, test: streamedTest, options: options)
        XCTAssertEqual(counter.count, 2, "a trainer decodes nothing up front")
        var afterStep: [Int] = []
        try streamed.runEpoch { _ in afterStep.append(counter.count) }
        XCTAssertEqual(afterStep, [6, 10, 14, 18], "each of the 4 steps decoded its 4 samples, nothing more")
        // Then the max and min subnets' evaluation: BN recalibration on one shuffled drop-last batch of all 16
        // training samples and a pass over the 8 test samples, each.
        XCTAssertEqual(counter.count, 18 + 2 * (16 + 8))

        let memory = try SupernetTrainer(network: OFAMobileNetV3(space: MultiLabelSupernetTrainerTests.space, seed: 4),
                                         train: train, test: test, options: options)
        try memory.runEpoch()
        XCTAssertEqual(streamed.state.history.map(\.loss), memory.state.history.map(\.loss))
        XCTAssertEqual(streamed.state.history.map(\.maxAccuracy), memory.state.history.map(\.maxAccuracy))
        XCTAssertEqual(streamed.state.history.map(\.minAccuracy), memory.state.history.map(\.minAccuracy))
        XCTAssertEqual(streamed.network.stateDict().tensors, memory.network.stateDict().tensors)
    }

    /// A pipeline input that is not streamed is decoded once and held, as before.
    func testAnInputThatIsNotStreamedIsHeld() throws {
        let counter = DecodeCounter()
        let train = try MultiLabelSupernetTrainerTests.bars(count: 6, seed: 1)
        let data = dataset(train: train, test: train, counter: counter)
        let held = try InputSplit(dataset: data, split: "train", input: PipelineInput(modality: "image", role: .searched,
                                                                                      backbone: "b", fusionFeatures: 4), threads: 1)
        XCTAssertFalse(held.isStreamed)
        XCTAssertEqual(counter.count, 1 + 6)
        XCTAssertEqual(try held.inputs([5, 0]), train.inputs([5, 0]))
        XCTAssertEqual(counter.count, 7, "held inputs are not decoded again")
        XCTAssertThrowsError(try InputSplit(dataset: data, split: "dev", input: PipelineInput(modality: "image", role: .searched,
                                                                                            backbone: "b", fusionFeatures: 4), threads: 1))
    }
}

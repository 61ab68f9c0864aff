import XCTest
@testable import HNASKit

/// `LabelledSplit.evaluationBatchSize`: 256 samples unless a batch's inputs would pass 16 MiB.
final class LabelledSplitTests: XCTestCase {
    private func split(_ sampleShape: [Int]) throws -> TensorDataset {
        try TensorDataset(inputs: Tensor(zeros: [1] + sampleShape), labels: [0])
    }

    func testEvaluationBatchesHoldAtMost16MiBOfInputs() throws {
        XCTAssertEqual(try split([1, 28, 28]).evaluationBatchSize, 256, "AV-MNIST images: 3 KiB each")
        XCTAssertEqual(try split([3, 224, 224]).evaluationBatchSize, 27, "MM-IMDB posters: 588 KiB each, 16 MiB / 588 KiB = 27.9")
        XCTAssertEqual(try split([1024, 1024]).evaluationBatchSize, 4, "exactly 4 MiB each")
        XCTAssertEqual(try split([4097, 1024]).evaluationBatchSize, 1, "one sample above the whole budget is still a batch")
    }
}

import XCTest
@testable import HNASKit

final class DatasetStatisticsTests: XCTestCase {
    /// Four samples decoded by file name: sample i gives the input [i, i + 1] (so the scalars are
    /// 0,1,1,2,2,3,3,4: mean 2, population variance 1.5), classes 0, 1, 1, 1.
    func testClassBalanceShapesMeanAndStd() throws {
        let samples = (0..<4).map { i in
            Sample(id: "s\(i)", files: [URL(fileURLWithPath: "/virtual/\(i)")], label: .index(i == 0 ? 0 : 1))
        }
        let input = DatasetInput(name: "x") { source in
            let i = Float(source.name)!
            return try Tensor(shape: [2], scalars: [i, i + 1])
        }
        let dataset = Dataset(name: "fake", inputs: [input], classNames: ["a", "b", "c"], isMultiLabel: false,
                              splits: [DatasetSplit(name: "train", samples: samples)])
        let stats = try DatasetStatistics(dataset: dataset, split: "train", threads: 2)
        XCTAssertEqual(stats.count, 4)
        XCTAssertEqual(stats.classCounts, [1, 3, 0])
        XCTAssertEqual(stats.inputs.map(\.name), ["x"])
        XCTAssertEqual(stats.inputs[0].shape, [2])
        XCTAssertEqual(stats.inputs[0].mean, 2, accuracy: 1e-12)
        XCTAssertEqual(stats.inputs[0].std, 1.5.squareRoot(), accuracy: 1e-12)
    }

    func testMultiLabelCountsPositivesPerColumn() throws {
        let samples = (0..<3).map { i in
            Sample(id: "s\(i)", inputs: [.text("\(i)")], label: .file(URL(fileURLWithPath: "/virtual/label\(i)")))
        }
        let labels: [String: [Float]] = ["label0": [1, 0, 1], "label1": [1, 1, 0], "label2": [1, 0, 0]]
        let dataset = Dataset(name: "fake", inputs: [DatasetInput(name: "t") { _ in Tensor(zeros: [1]) }],
                              classNames: ["p", "q", "r"], isMultiLabel: true,
                              splits: [DatasetSplit(name: "train", samples: samples)],
                              labelDecoder: { url in try Tensor(shape: [3], scalars: labels[url.lastPathComponent]!) })
        let stats = try DatasetStatistics(dataset: dataset, split: "train", threads: 1)
        XCTAssertEqual(stats.classCounts, [3, 1, 1])
    }
}

import Foundation
import HNASKit
@testable import SearchDARTS
import XCTest

/// One fixture of `Scripts/make_fusion_goldens.py`: the original's formulas restated in PyTorch,
/// computed in float64 and stored as float32, under hnas's state-dict names.
///
/// Tolerances (the script fails unless PyTorch's own float32 run meets them, so a float32
/// implementation with another summation order can):
/// - values: `|a − b| ≤ 1e-4·max|b| + 1e-6`;
/// - gradients: `|a − b| ≤ 1e-4·max|b| + 1e-5·G`, G the largest gradient of the same experiment
///   (a gradient that is zero in exact arithmetic, like a conv bias before train-mode BatchNorm,
///   is float noise of its neighbours' scale);
/// - Adam steps: the displacement from the start within `1e-3 ×` the summed learning rates, plus
///   `2.4e-7·|start|` (two float32 roundings of the parameter itself).
struct Golden {
    static let relative: Float = 1e-4, absolute: Float = 1e-6, gradientFloor: Float = 1e-5
    static let stepRelative: Float = 1e-3, stepUlps: Float = 2.4e-7

    let file: SafeTensors
    let name: String

    init(_ name: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name)
        file = try SafeTensors.read(from: url)
        self.name = name
    }

    func tensor(_ key: String) throws -> Tensor {
        guard let t = file[float: key] else { throw HNASError.file(name, "cannot read golden", why: "no float tensor '\(key)'") }
        return t
    }

    /// Class labels stored as floats.
    func labels(_ key: String) throws -> [Int] { try tensor(key).scalars.map { Int($0) } }

    func metadata(_ key: String) throws -> String {
        guard let text = file.metadata[key] else { throw HNASError.file(name, "cannot read golden", why: "no metadata '\(key)'") }
        return text
    }

    /// Every weight and buffer of `module` from `<prefix><state-dict name>`; strict (nothing missing or left over).
    func load(_ module: Module, prefix: String) throws {
        try module.load(stateDict: file, prefix: prefix, source: name)
    }

    /// A batch of pooled inputs `<prefix>.x.<k>` labelled by `<prefix>.labels`.
    func batch(_ prefix: String, inputs: Int, classes: Int) throws -> PooledSplit {
        PooledSplit(features: try (0..<inputs).map { try tensor("\(prefix).x.\($0)") },
                    labels: .classes(try labels("\(prefix).labels"), classes: classes))
    }

    /// G: the largest magnitude among the golden gradients at `keys`.
    func gradientScale(_ keys: [String]) throws -> Float {
        try keys.map { try tensor($0).scalars.map(abs).max() ?? 0 }.max() ?? 0
    }

    /// `actual` against the golden `key` with the value tolerance, or the gradient tolerance when
    /// `gradientScale` is given.
    func assertClose(_ actual: Tensor?, _ key: String, gradientScale: Float? = nil,
                     file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = try tensor(key)
        guard let actual else { return XCTFail("\(key): hnas has no value (no gradient reached it?)", file: file, line: line) }
        XCTAssertEqual(actual.shape, expected.shape, key, file: file, line: line)
        let bound = Golden.relative * (expected.scalars.map(abs).max() ?? 0)
            + (gradientScale.map { Golden.gradientFloor * $0 } ?? Golden.absolute)
        let diff = zip(actual.scalars, expected.scalars).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(diff, bound, "\(key): max |hnas − PyTorch| \(diff)", file: file, line: line)
    }

    /// A parameter after Adam steps against the golden `key`, both taken from `start` (Adam's first steps move
    /// every element by about the learning rate, so the displacement is what is compared).
    func assertStep(_ actual: Tensor, _ key: String, from start: Tensor, learningRates: Float,
                    file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = try tensor(key)
        XCTAssertEqual(actual.shape, expected.shape, key, file: file, line: line)
        let excess = zip(zip(actual.scalars, expected.scalars), start.scalars)
            .map { pair, s in abs(pair.0 - pair.1) - Golden.stepUlps * abs(s) }.max() ?? 0
        XCTAssertLessThanOrEqual(excess, Golden.stepRelative * learningRates,
                                 "\(key): displacement differs from PyTorch's by \(excess) beyond rounding", file: file, line: line)
    }
}

/// The fixtures' sizes: C = 6, L = 4, input nodes of 3/5/4 channels, 3 classes.
enum GoldenShape {
    static let channels = 6, length = 4, classes = 3, inputChannels = [3, 5, 4]

    static func fusion(steps: Int, nodeSteps: Int) -> FusionShape {
        FusionShape(inputChannels: inputChannels, channels: channels, length: length, outputs: classes,
                    steps: steps, nodeSteps: nodeSteps)
    }
}

import Foundation
import HNASTestSupport
import XCTest
@testable import HNASKit

/// The once-for-all reference outputs made by `Scripts/make_ofa_fixture.py`.
enum OFAFixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/ofa")

    static func file(_ name: String) throws -> SafeTensors {
        try SafeTensors.read(from: directory.appendingPathComponent(name))
    }

    struct Description: Decodable {
        let avmnist_configs: [BackboneConfig]
        let w12_configs: [BackboneConfig]
        /// [name, shape] pairs of the PyTorch state dict, sorted by name.
        let w12_state_dict: [[NameOrShape]]
    }

    static func description() throws -> Description {
        try JSONDecoder().decode(Description.self, from: Data(contentsOf: directory.appendingPathComponent("fixture.json")))
    }

    /// The script's `formula_value`: tensor `index` (sorted-name order), element j.
    static func formulaValue(name: String, index: Int, shape: [Int]) -> Tensor {
        let n = shape.reduce(1, *)
        let base = (0..<n).map { sin(0.7 * Double($0) + 1.9 * Double(index) + 0.3) }
        let values: [Double]
        if name.hasSuffix("num_batches_tracked") {
            values = Array(repeating: 0, count: n)
        } else if name.hasSuffix("running_var") {
            values = base.map { 1 + 0.3 * $0 }
        } else if name.hasSuffix("running_mean") {
            values = base.map { 0.1 * $0 }
        } else if name.hasSuffix("_matrix") {
            values = base.enumerated().map { ($0.offset / shape[0] == $0.offset % shape[0] ? 1 : 0) + 0.1 * $0.element }
        } else if name == "classifier.linear.bias" {
            values = base.map { 0 * $0 }
        } else if shape.count == 1 {
            values = base.map { (name.hasSuffix("bn.weight") ? 1 : 0) + 0.1 * $0 }
        } else {
            let scale = (3.0 / Double(n / shape[0])).squareRoot()
            values = base.map { $0 * scale }
        }
        return try! Tensor(shape: shape, scalars: values.map { Float($0) })
    }

    nonisolated(unsafe) private static var formulaNets: [OFASupernetSpace: OFAMobileNetV3] = [:]

    /// A supernet of `space` filled with `formulaValue`, in evaluation mode (built once per test run:
    /// the large ones are slow to initialise in debug builds).
    static func formulaNet(_ space: OFASupernetSpace) throws -> OFAMobileNetV3 {
        if let net = formulaNets[space] { net.eval(); return net }
        let net = OFAMobileNetV3(space: space)
        try fillWithFormula(net)
        net.eval()
        formulaNets[space] = net
        return net
    }

    /// Fills every parameter and buffer of `module` with `formulaValue`.
    static func fillWithFormula(_ module: Module) throws {
        var file = SafeTensors()
        let entries = module.namedParameters().map { ($0.0, $0.1.shape) } + module.namedBuffers().map { ($0.0, $0.1.value.shape) }
        for (index, (name, shape)) in entries.sorted(by: { $0.0 < $1.0 }).enumerated() {
            file.tensors[name] = .float32(formulaValue(name: name, index: index, shape: shape))
        }
        try module.load(stateDict: file)
    }
}

/// Fails unless `actual` and `expected` have one shape and differ by at most `relative` × max |expected|.
func assertMatches(_ actual: Tensor, _ expected: Tensor, relative: Float, _ what: String,
                   file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.shape, expected.shape, "\(what): shape", file: file, line: line)
    guard actual.shape == expected.shape else { return }
    let scale = expected.scalars.map(abs).max() ?? 0
    let diff = zip(actual.scalars, expected.scalars).map { abs($0 - $1) }.max() ?? 0
    XCTAssertLessThanOrEqual(diff, relative * max(scale, 1e-6), "\(what): max abs diff \(diff), max |expected| \(scale)", file: file, line: line)
}

import XCTest
import HNASKit
@testable import SearchDARTS

final class FusionOperatorTests: XCTestCase {
    func makeOperator(_ name: String, channels: Int = 4, length: Int = 4, seed: UInt64 = 1) throws -> any FusionOperator {
        var generator = SeededGenerator(seed: seed)
        let op = try FusionOperators.make(name, channels: channels, length: length, dropout: 0.1, generator: &generator)
        disableDropout(op)
        return op
    }

    func testEveryOperatorBackwardMatchesFiniteDifferences() throws {
        for name in FusionOperators.known {
            let op = try makeOperator(name)
            let x = FiniteDifferences.random([3, 4, 4], seed: 11), y = FiniteDifferences.random([3, 4, 4], seed: 12)
            try FiniteDifferences.check(inputs: [x, y], parameters: op.parameters, eps: 1e-3, label: name) { t in try op(t[0], t[1]) }
        }
    }

    func testOutputShapesAreTheInputShape() throws {
        for name in FusionOperators.known {
            let op = try makeOperator(name, channels: 6, length: 9)
            let x = FiniteDifferences.random([2, 6, 9], seed: 3), y = FiniteDifferences.random([2, 6, 9], seed: 4)
            XCTAssertEqual(try op(x, y).shape, [2, 6, 9], name)
        }
    }

    func testParameterCountsAtC192() throws {
        let expected = ["Sum": 0, "ScaleDotAttn": 6_144, "LinearGLU": 148_608, "ConcatFC": 74_304,
                        "SE1": 37_056, "SE2": 37_056, "CatConvMish": 74_304]
        var step = 0
        for name in FusionOperators.known {
            let count = try makeOperator(name, channels: 192, length: 16).parameters.reduce(0) { $0 + $1.value.count }
            XCTAssertEqual(count, expected[name], name)
            if FusionOperators.searched.contains(name) { step += count }
        }
        XCTAssertEqual(step, 340_416, "one searchable inner step")
        var generator = SeededGenerator(seed: 1)
        let cell = try SearchCell(nodeSteps: 1, channels: 192, length: 16, dropout: 0.1, generator: &generator)
        XCTAssertEqual(cell.parameters.reduce(0) { $0 + $1.value.count }, 340_416 + 6_144, "cell = step + inner LayerNorm")
        let head = ClassifierHead(states: 2, channels: 192, length: 16, outputs: 10, generator: &generator)
        XCTAssertEqual(head.parameters.reduce(0) { $0 + $1.value.count }, 12_288 + 6_144 * 10 + 10)
        let reshape = ReshapeLayer(inChannels: 24, channels: 192, dropout: 0.1, generator: &generator)
        XCTAssertEqual(reshape.parameters.reduce(0) { $0 + $1.value.count }, 24 * 192 + 192 + 2 * 192)
    }

    func testSumAndSqueezeExciteByHand() throws {
        let x = try Tensor(shape: [1, 2, 1], scalars: [1, -2]), y = try Tensor(shape: [1, 2, 1], scalars: [3, 5])
        XCTAssertEqual(try SumOperator()(x, y).scalars, [4, 3])
        var generator = SeededGenerator(seed: 1)
        for (squeezed, source, target) in [(SqueezeExciteFusion.Squeezed.first, x, y), (.second, y, x)] {
            let se = SqueezeExciteFusion(channels: 2, squeezed: squeezed, generator: &generator)
            se.linear.weight.value = try Tensor(shape: [2, 2], scalars: [1, 0, 0.5, -1])
            se.linear.bias?.value = try Tensor(shape: [2], scalars: [0, 0.25])
            let out = try se(x, y)
            let s = source.scalars, t = target.scalars
            let pre = [s[0], 0.5 * s[0] - s[1] + 0.25]
            let gate = pre.map { 1 / (1 + exp(-max($0, 0))) }
            XCTAssertEqual(out.scalars[0], t[0] * gate[0], accuracy: 1e-6)
            XCTAssertEqual(out.scalars[1], t[1] * gate[1], accuracy: 1e-6)
        }
    }

    func testScaledDotAttentionByHand() throws {
        // C = 1, L = 2: scores = x_i·y_j/1, out_i = Σ_j softmax_j(scores)·y_j, then LayerNorm over 2 values.
        let op = try makeOperator("ScaleDotAttn", channels: 1, length: 2) as! ScaleDotAttention
        let x = try Tensor(shape: [1, 1, 2], scalars: [1, 2]), y = try Tensor(shape: [1, 1, 2], scalars: [0.5, -1])
        var o: [Float] = []
        for xi: Float in [1, 2] {
            let s = [xi * 0.5, xi * -1], m = s.max()!, e = s.map { exp($0 - m) }
            o.append((e[0] * 0.5 + e[1] * -1) / (e[0] + e[1]))
        }
        let mean = (o[0] + o[1]) / 2, variance = ((o[0] - mean) * (o[0] - mean) + (o[1] - mean) * (o[1] - mean)) / 2
        let expected = o.map { ($0 - mean) / (variance + 1e-5).squareRoot() }
        let out = try op(x, y).scalars
        XCTAssertEqual(out[0], expected[0], accuracy: 1e-4)
        XCTAssertEqual(out[1], expected[1], accuracy: 1e-4)
    }

    func testUnknownOperatorIsAClearError() {
        var generator = SeededGenerator(seed: 1)
        XCTAssertThrowsError(try FusionOperators.make("LowRankTensorFusion", channels: 4, length: 4, dropout: 0, generator: &generator)) {
            XCTAssertTrue("\($0)".contains("'LowRankTensorFusion' is not in the allowed set"), "\($0)")
        }
    }
}

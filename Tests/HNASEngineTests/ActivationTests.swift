import HNASTestSupport
import XCTest
@testable import HNASEngine

final class ActivationTests: XCTestCase {
    // Values away from the kinks (0, ±3, 6) so central differences are exact there.
    let x = try! Tensor(shape: [2, 9], scalars: [-5, -3.5, -2, -0.7, 0.4, 1.3, 2.5, 3.6, 7,
                                                 -4.2, -1.1, -0.2, 0.9, 2.2, 4.5, 5.3, 6.6, -2.6])

    func testForwardHandComputed() throws {
        let v = try Tensor(shape: [5], scalars: [-4, -1, 0.5, 2, 7])
        XCTAssertEqual(v.relu().scalars, [0, 0, 0.5, 2, 7])
        XCTAssertEqual(v.relu6().scalars, [0, 0, 0.5, 2, 6])
        assertClose(v.hardSwish(), [0, -1 * 2 / 6, 0.5 * 3.5 / 6, 2 * 5 / 6, 7])
        assertClose(v.hardSigmoid(), [0, 2 / 6, 3.5 / 6, 5 / 6, 1])
        assertClose(v.sigmoid(), [Float](v.scalars.map { 1 / (1 + exp(-$0)) }))
        assertClose(v.tanh(), v.scalars.map { Foundation.tanh($0) })
        assertClose(v.mish(), v.scalars.map { $0 * Foundation.tanh(log(1 + exp($0))) })
        // GELU(1) = Φ(1) = 0.8413447; GELU(-1) = -0.1586553.
        assertClose(try Tensor(shape: [2], scalars: [1, -1]).gelu(), [0.8413447, -0.1586553])
        // GLU([1, 2, 0, ln 3]) = [1·σ(0), 2·σ(ln 3)] = [0.5, 1.5].
        assertClose(try Tensor(shape: [1, 4], scalars: [1, 2, 0, log(3)]).glu(), [0.5, 1.5])
    }

    func testGradients() throws {
        for f in [{ (t: Tensor) in t.relu() }, { $0.relu6() }, { $0.hardSwish() }, { $0.hardSigmoid() },
                  { $0.sigmoid() }, { $0.tanh() }, { $0.mish() }, { $0.gelu() }] {
            try GradientCheck.check([x]) { f($0[0]) }
        }
        try GradientCheck.check([x]) { try $0[0].glu(axis: 0) }
        try GradientCheck.check([x]) { try $0[0].reshaped([3, 6]).glu(axis: -1) }
    }

    /// The 8-wide body and the scalar tail give the same bits, kinks and −0 included, forward and
    /// backward (19 values: two vectors and a tail of three).
    func testPiecewiseVectorLanesMatchTheScalarTail() {
        let x: [Float] = [-7, -3, -2.9, -0.0, 0, 0.3, 2.99, 3, 3.01, 5.5, 6, 6.5, -1e-7, 1e30, -1e30, 2, -3.5, 4, 0.5]
        let g: [Float] = x.indices.map { Float($0) * 0.37 - 2 }
        for kind in [PiecewiseActivation.relu, .relu6, .hardSwish, .hardSigmoid] {
            var vectorOut = [Float](repeating: 0, count: x.count), scalarOut = vectorOut
            var vectorGrad = vectorOut, scalarGrad = vectorOut
            kind.forward(x, &vectorOut, count: x.count)
            kind.backward(g, x, &vectorGrad, count: x.count)
            for i in x.indices {
                x.withUnsafeBufferPointer { px in
                    kind.forward(px.baseAddress! + i, &scalarOut[i], count: 1)
                    g.withUnsafeBufferPointer { pg in kind.backward(pg.baseAddress! + i, px.baseAddress! + i, &scalarGrad[i], count: 1) }
                }
            }
            XCTAssertEqual(vectorOut.map(\.bitPattern), scalarOut.map(\.bitPattern), "\(kind) forward")
            XCTAssertEqual(vectorGrad.map(\.bitPattern), scalarGrad.map(\.bitPattern), "\(kind) backward")
        }
        var out = [Float](repeating: 0, count: 8)
        PiecewiseActivation.relu6.forward([-1, 0, 3, 6, 7, -0.0, 100, 5.5], &out, count: 8)
        XCTAssertEqual(out, [0, 0, 3, 6, 6, 0, 6, 5.5])
        PiecewiseActivation.hardSwish.forward([-4, -3, -1, 0, 1, 3, 4, 6], &out, count: 8)
        XCTAssertEqual(out, [0, 0, -1 * 2 * (Float(1) / 6), 0, 4 * (Float(1) / 6), 3, 4, 6])
    }

    func testGLURejectsOddAxis() {
        XCTAssertThrowsError(try Tensor(zeros: [2, 3]).glu()) { XCTAssertTrue("\($0)".contains("glu")) }
    }
}

import HNASEngine
import XCTest

/// Central finite differences against the tape's gradients.
///
/// The checked scalar is `L = Σ f(inputs) ⊙ R` for a fixed pseudo-random `R`, accumulated in
/// Double; each input element is moved by ±`eps` (Float inputs). A gradient passes when
/// `|analytic − numeric| ≤ tolerance · max(1, |numeric|)`. With eps = 1e-2 the truncation error is
/// O(1e-4) for smooth ops and the Float rounding error of L is below 1e-3 for the sizes used here,
/// so the stated tolerance 1e-2 is both meaningful and stable.
public enum GradientCheck {
    public static func random(_ shape: [Int], seed: UInt64, range: ClosedRange<Float> = -1...1) -> Tensor {
        var rng = SeededGenerator(seed: seed)
        let n = shape.reduce(1, *)
        return try! Tensor(shape: shape, scalars: (0..<n).map { _ in range.lowerBound + (range.upperBound - range.lowerBound) * rng.uniformFloat() })
    }

    /// Distinct values 0.1 apart in shuffled order, so no maximum is within the finite-difference
    /// step of another element (for max-like ops).
    public static func distinct(_ shape: [Int], seed: UInt64) -> Tensor {
        var rng = SeededGenerator(seed: seed)
        let n = shape.reduce(1, *)
        var values = (0..<n).map { Float($0 - n / 2) * 0.1 }
        rng.shuffle(&values)
        return try! Tensor(shape: shape, scalars: values)
    }

    public static func check(_ inputs: [Tensor], eps: Float = 1e-2, tolerance: Double = 1e-2,
                      file: StaticString = #filePath, line: UInt = #line, _ f: ([Tensor]) throws -> Tensor) throws {
        let params = inputs.map { Parameter($0) }
        let y = try f(params.map(\.value))
        let weights = random(y.shape, seed: 99, range: 0.5...1.5)
        let loss = try (y * weights).sum()
        try loss.backward()
        func evaluate(_ values: [Tensor]) throws -> Double {
            let out = try Autograd.withoutGrad { try f(values) }
            return zip(out.scalars, weights.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        for (which, input) in inputs.enumerated() {
            let analytic = params[which].grad?.scalars ?? [Float](repeating: 0, count: input.count)
            XCTAssertEqual(params[which].grad?.shape ?? input.shape, input.shape, "gradient shape of input \(which)", file: file, line: line)
            var values = inputs
            for i in 0..<input.count {
                let saved = input.scalars[i]
                func at(_ v: Float) throws -> Double {
                    var t = input
                    t.withUnsafeMutableBufferPointer { $0[i] = v }
                    values[which] = t
                    return try evaluate(values)
                }
                let numeric = (try at(saved + eps) - at(saved - eps)) / Double(2 * eps)
                let error = abs(Double(analytic[i]) - numeric)
                XCTAssertLessThanOrEqual(error, tolerance * max(1, abs(numeric)),
                                         "input \(which) element \(i): analytic \(analytic[i]) vs numeric \(numeric)", file: file, line: line)
            }
        }
    }
}

/// Fails the calling test at the first element of `a` farther from `b` than `accuracy` (relative above 1).
public func assertClose(_ a: Tensor, _ b: [Float], accuracy: Float = 1e-5, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, "element count", file: file, line: line)
    for (i, (x, y)) in zip(a.scalars, b).enumerated() where abs(x - y) > accuracy * max(1, abs(y)) {
        XCTFail("element \(i): \(x) vs expected \(y)", file: file, line: line)
        return
    }
}

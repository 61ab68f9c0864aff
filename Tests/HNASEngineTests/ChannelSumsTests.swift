import HNASTestSupport
import XCTest
@testable import HNASEngine

/// `ChannelSums`: batch norm's per-channel sums over short planes, walked in memory order.
final class ChannelSumsTests: XCTestCase {
    /// Against a Double reference, on plane widths around the vector width (1, 7, 8, 13, 16, 17, 64) and an
    /// odd channel count; with one and two threads bitwise the same.
    func testMatchesTheScalarReference() throws {
        defer { Parallel.threads = ProcessInfo.processInfo.activeProcessorCount }
        let (n, c) = (5, 37)
        for plane in [1, 7, 8, 13, 16, 17, 64] {
            let x = GradientCheck.random([n, c, plane], seed: UInt64(plane)).scalars
            let g = GradientCheck.random([n, c, plane], seed: UInt64(100 + plane)).scalars
            let center = GradientCheck.random([c], seed: 7).scalars
            var sum = [Double](repeating: 0, count: c), square = sum, gSum = sum, dot = sum
            for s in 0..<n {
                for ch in 0..<c {
                    for i in 0..<plane {
                        let k = (s * c + ch) * plane + i, d = Double(x[k]) - Double(center[ch])
                        sum[ch] += Double(x[k]); square[ch] += d * d; gSum[ch] += Double(g[k]); dot[ch] += Double(g[k]) * d
                    }
                }
            }
            var runs: [[[Float]]] = []
            for threads in [1, 2] {
                Parallel.threads = threads
                let got = x.withUnsafeBufferPointer { px in
                    g.withUnsafeBufferPointer { pg -> [[Float]] in
                        let (sums, dots) = ChannelSums.sumsAndDots(pg.baseAddress!, px.baseAddress!, n: n, c: c, plane: plane, center: center)
                        return [ChannelSums.sums(px.baseAddress!, n: n, c: c, plane: plane),
                                ChannelSums.sums(px.baseAddress!, n: n, c: c, plane: plane, center: center), sums, dots]
                    }
                }
                for (values, expected) in zip(got, [sum, square, gSum, dot]) {
                    for (u, v) in zip(values, expected) { XCTAssertEqual(Double(u), v, accuracy: 1e-4 * max(1, abs(v)), "plane \(plane)") }
                }
                runs.append(got)
            }
            XCTAssertEqual(runs[0], runs[1], "plane \(plane)")
        }
    }

    /// Batch norm on planes longer than `maximumPlane` (plane-by-plane sums) has correct gradients and agrees
    /// with the short-plane walk on the same values moved into more samples of shorter planes.
    func testLongPlanesAgreeWithTheWalk() throws {
        let x = GradientCheck.random([2, 3, ChannelSums.maximumPlane + 1], seed: 51), w = GradientCheck.random([3], seed: 52)
        try GradientCheck.check([x, w]) { try Tensor.batchNormTraining($0[0], weight: $0[1], bias: nil, eps: 1e-5).0 }
        // [2, 3, 65] → [2, 3, 5, 13] → [2, 5, 3, 13] → [10, 3, 13]: every channel keeps its 130 values.
        let moved = try x.reshaped([2, 3, 5, 13]).permuted([0, 2, 1, 3]).reshaped([10, 3, 13])
        let long = try Tensor.batchNormTraining(x, weight: w, bias: nil, eps: 1e-5)
        let short = try Tensor.batchNormTraining(moved, weight: w, bias: nil, eps: 1e-5)
        let back = try short.0.reshaped([2, 5, 3, 13]).permuted([0, 2, 1, 3]).reshaped([2, 3, 65])
        for (u, v) in zip(long.0.scalars, back.scalars) { XCTAssertEqual(u, v, accuracy: 1e-5) }
        for (u, v) in zip(long.1.mean.scalars, short.1.mean.scalars) { XCTAssertEqual(u, v, accuracy: 1e-6) }
        for (u, v) in zip(long.1.unbiasedVariance.scalars, short.1.unbiasedVariance.scalars) { XCTAssertEqual(u, v, accuracy: 1e-5) }
    }
}

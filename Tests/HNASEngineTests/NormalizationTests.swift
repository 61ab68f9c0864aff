import HNASTestSupport
import XCTest
@testable import HNASEngine

final class NormalizationTests: XCTestCase {
    func testBatchNormTrainingHandComputed() throws {
        // Channel 0 holds 1, 2, 3, 4 (mean 2.5, biased var 1.25, unbiased 5/3); channel 1 holds 0 four times.
        let x = try Tensor(shape: [2, 2, 1, 2], scalars: [1, 2, 0, 0, 3, 4, 0, 0])
        let w = try Tensor(shape: [2], scalars: [2, 1]), b = try Tensor(shape: [2], scalars: [0.5, -1])
        let (y, stats) = try Tensor.batchNormTraining(x, weight: w, bias: b, eps: 1e-5)
        let inv = 1 / (1.25 + 1e-5 as Float).squareRoot()
        assertClose(y, [2 * -1.5 * inv + 0.5, 2 * -0.5 * inv + 0.5, -1, -1, 2 * 0.5 * inv + 0.5, 2 * 1.5 * inv + 0.5, -1, -1])
        assertClose(stats.mean, [2.5, 0])
        assertClose(stats.unbiasedVariance, [5.0 / 3, 0])
        XCTAssertEqual(stats.count, 4)
    }

    func testBatchNormInferenceHandComputed() throws {
        let x = try Tensor(shape: [1, 2, 2], scalars: [1, 3, 5, 7])
        let y = try Tensor.batchNormInference(x, weight: try Tensor(shape: [2], scalars: [1, 2]), bias: try Tensor(shape: [2], scalars: [0, 1]),
                                              mean: try Tensor(shape: [2], scalars: [1, 5]), variance: try Tensor(shape: [2], scalars: [4, 1]), eps: 0)
        XCTAssertEqual(y.scalars, [0, 1, 1, 5])
    }

    func testLayerNormHandComputed() throws {
        let x = try Tensor(shape: [2, 2], scalars: [1, 3, -2, -2])
        let y = try Tensor.layerNorm(x, normalizedShape: [2], weight: try Tensor(shape: [2], scalars: [1, 2]), bias: nil, eps: 0)
        XCTAssertEqual(y.scalars[0], -1)
        XCTAssertEqual(y.scalars[1], 2)
        XCTAssertTrue(y.scalars[2].isNaN) // zero variance with eps 0: 0/0, as in PyTorch
    }

    func testGradients() throws {
        let x = GradientCheck.random([3, 2, 2, 3], seed: 41), w = GradientCheck.random([2], seed: 42), b = GradientCheck.random([2], seed: 43)
        try GradientCheck.check([x, w, b]) { try Tensor.batchNormTraining($0[0], weight: $0[1], bias: $0[2], eps: 1e-5).0 }
        try GradientCheck.check([x]) { try Tensor.batchNormTraining($0[0], weight: nil, bias: nil, eps: 1e-5).0 }
        try GradientCheck.check([GradientCheck.random([5, 3], seed: 44), GradientCheck.random([3], seed: 45)]) {
            try Tensor.batchNormTraining($0[0], weight: $0[1], bias: nil, eps: 1e-5).0
        }
        let mean = GradientCheck.random([2], seed: 46), variance = GradientCheck.random([2], seed: 47, range: 0.5...2)
        try GradientCheck.check([x, w, b]) {
            try Tensor.batchNormInference($0[0], weight: $0[1], bias: $0[2], mean: mean, variance: variance, eps: 1e-5)
        }
        try GradientCheck.check([x, GradientCheck.random([2, 3], seed: 48), GradientCheck.random([2, 3], seed: 49)]) {
            try Tensor.layerNorm($0[0], normalizedShape: [2, 3], weight: $0[1], bias: $0[2])
        }
        try GradientCheck.check([x]) { try Tensor.layerNorm($0[0], normalizedShape: [3], weight: nil, bias: nil) }
        try GradientCheck.check([x, GradientCheck.random([2, 3], seed: 50)]) { try Tensor.layerNorm($0[0], normalizedShape: [2, 3], weight: $0[1], bias: nil) }
        try GradientCheck.check([x, GradientCheck.random([3], seed: 51)]) { try Tensor.layerNorm($0[0], normalizedShape: [3], weight: nil, bias: $0[1]) }
    }

    /// Layer norm splits rows (forward, input gradient) and columns (weight and bias gradients) over
    /// the workers: the same bits at 1 and 2 threads, on a shape large enough to split both ways
    /// (40 rows of 2 040: odd columns per part, not a multiple of the vector width).
    func testLayerNormIsTheSameAtOneAndTwoThreads() throws {
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        func run() throws -> [[Float]] {
            let x = Parameter(GradientCheck.random([40, 12, 170], seed: 7)), w = Parameter(GradientCheck.random([12, 170], seed: 8))
            let b = Parameter(GradientCheck.random([12, 170], seed: 9))
            let y = try Tensor.layerNorm(x.value, normalizedShape: [12, 170], weight: w.value, bias: b.value)
            try (y * GradientCheck.random(y.shape, seed: 10)).sum().backward()
            return [y.scalars, x.grad!.scalars, w.grad!.scalars, b.grad!.scalars]
        }
        Parallel.threads = 1
        let one = try run()
        Parallel.threads = 2
        let two = try run()
        for (a, b) in zip(one, two) { XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern)) }
    }

    func testFusedActivationMatchesSeparateOps() throws {
        // Values spread well past ±3 and 6 so every piece of every activation is exercised.
        let x = GradientCheck.random([4, 3, 2, 5], seed: 71, range: -4...4), w = GradientCheck.random([3], seed: 72, range: 1...3)
        let b = GradientCheck.random([3], seed: 73), mean = GradientCheck.random([3], seed: 74)
        let variance = GradientCheck.random([3], seed: 75, range: 0.1...0.5)
        for activation in [Activation.relu, .relu6, .hardSwish, .hardSigmoid, .sigmoid, .identity] {
            let fusedTrain = try Tensor.batchNormTraining(x, weight: w, bias: b, eps: 1e-5, activation: activation).0
            let separateTrain = activation.apply(try Tensor.batchNormTraining(x, weight: w, bias: b, eps: 1e-5).0)
            assertClose(fusedTrain, separateTrain.scalars, accuracy: 1e-6)
            let fusedEval = try Tensor.batchNormInference(x, weight: w, bias: b, mean: mean, variance: variance, eps: 1e-5, activation: activation)
            let separateEval = activation.apply(try Tensor.batchNormInference(x, weight: w, bias: b, mean: mean, variance: variance, eps: 1e-5))
            assertClose(fusedEval, separateEval.scalars, accuracy: 1e-6)
        }
        // Gradients of the fused ops equal those of the separate ops (each checked against finite
        // differences elsewhere; in training mode a finite difference moves every pre-activation of
        // the channel, so kinks make a direct check flaky). Planes of 10 and of 81 elements: the short-plane
        // and the long-plane walks of the gradient sums, which form the fused gradient as they go.
        let long = GradientCheck.random([2, 3, 9, 9], seed: 79, range: -4...4)
        for (x, activation) in [x, long].flatMap({ x in [Activation.relu, .relu6, .hardSwish, .hardSigmoid, .tanh].map { (x, $0) } }) {
            for training in [true, false] {
                func gradients(fused: Bool) throws -> [[Float]] {
                    let params = [x, w, b].map { Parameter($0) }
                    let (px, pw, pb) = (params[0].value, params[1].value, params[2].value)
                    let y: Tensor
                    if training {
                        y = fused ? try Tensor.batchNormTraining(px, weight: pw, bias: pb, eps: 1e-5, activation: activation).0
                            : activation.apply(try Tensor.batchNormTraining(px, weight: pw, bias: pb, eps: 1e-5).0)
                    } else {
                        y = fused ? try Tensor.batchNormInference(px, weight: pw, bias: pb, mean: mean, variance: variance, eps: 1e-5, activation: activation)
                            : activation.apply(try Tensor.batchNormInference(px, weight: pw, bias: pb, mean: mean, variance: variance, eps: 1e-5))
                    }
                    try (y * GradientCheck.random(y.shape, seed: 78)).sum().backward()
                    return params.map { $0.grad!.scalars }
                }
                for (f, s) in zip(try gradients(fused: true), try gradients(fused: false)) {
                    for (a, e) in zip(f, s) { XCTAssertEqual(a, e, accuracy: 1e-5 * max(1, abs(e)), "\(activation) training \(training) \(x.shape)") }
                }
            }
        }
    }

    func testSequentialFusesBatchNormAndActivationWithTheSameResult() throws {
        let bn = BatchNorm(features: 3), twin = BatchNorm(features: 3)
        let x = GradientCheck.random([4, 3, 2, 2], seed: 77, range: -4...4)
        let fused = try Sequential([bn, ActivationLayer(.hardSwish)])(x)
        let separate = try twin(x).hardSwish()
        assertClose(fused, separate.scalars, accuracy: 1e-6)
        XCTAssertEqual(bn.runningMean.value, twin.runningMean.value)
    }

    func testShapeErrors() {
        XCTAssertThrowsError(try Tensor.batchNormTraining(Tensor(zeros: [2, 3, 2]), weight: Tensor(zeros: [2]), bias: nil, eps: 1e-5)) {
            XCTAssertTrue("\($0)".contains("batchNorm") && "\($0)".contains("[2, 3, 2]"))
        }
        XCTAssertThrowsError(try Tensor.batchNormTraining(Tensor(zeros: [1, 3]), weight: nil, bias: nil, eps: 1e-5))
        XCTAssertThrowsError(try Tensor.layerNorm(Tensor(zeros: [2, 3]), normalizedShape: [2], weight: nil, bias: nil))
    }
}

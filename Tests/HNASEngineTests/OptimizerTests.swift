import HNASTestSupport
import XCTest
@testable import HNASEngine

final class OptimizerTests: XCTestCase {
    func param(_ values: [Float], grad: [Float]) -> Parameter {
        let p = Parameter(try! Tensor(shape: [values.count], scalars: values))
        p.grad = try! Tensor(shape: [grad.count], scalars: grad)
        return p
    }

    func testSGDMomentumWeightDecayHandComputed() throws {
        // 9 elements exercise both the SIMD body and the tail.
        let p = param([Float](repeating: 1, count: 9), grad: [Float](repeating: 0.5, count: 9))
        let sgd = SGD(parameters: [p], learningRate: 0.1, momentum: 0.9, weightDecay: 0.1)
        try sgd.step()
        // d = 0.5 + 0.1·1 = 0.6; buf = 0.6; p = 1 − 0.06 = 0.94.
        assertClose(p.value, [Float](repeating: 0.94, count: 9))
        try sgd.step()
        // d = 0.5 + 0.094 = 0.594; buf = 0.54 + 0.594 = 1.134; p = 0.94 − 0.1134.
        assertClose(p.value, [Float](repeating: 0.8266, count: 9))
    }

    func testSGDNesterovAndDecayExemption() throws {
        let w = Parameter(Tensor(repeating: 1, shape: [1, 2])), b = param([1], grad: [1])
        w.grad = Tensor(repeating: 1, shape: [1, 2])
        let sgd = SGD(parameters: [w, b], learningRate: 0.1, momentum: 0.5, nesterov: true, weightDecay: 1, decayScope: .exceptBatchNormAndBias)
        try sgd.step()
        // w: d = 1 + 1 = 2, buf = 2, step = d + 0.5·buf = 3 → 0.7. b (rank 1, exempt): d = 1, step 1.5 → 0.85.
        assertClose(w.value, [0.7, 0.7])
        assertClose(b.value, [0.85])
    }

    /// Large parameters are updated in parallel pieces: the same bits at 1 and 2 threads
    /// (70 001 elements, above the split threshold and not a multiple of the vector width).
    func testUpdatesAreTheSameAtOneAndTwoThreads() throws {
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        func run(_ makeOptimizer: ([Parameter]) -> () throws -> Void) throws -> [Float] {
            let p = Parameter(GradientCheck.random([70_001], seed: 3))
            let step = makeOptimizer([p])
            for k in 0..<3 {
                p.grad = GradientCheck.random([70_001], seed: 4 + UInt64(k))
                try step()
            }
            return p.value.scalars
        }
        let optimizers: [([Parameter]) -> () throws -> Void] = [
            { let o = SGD(parameters: $0, learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01); return o.step },
            { let o = Adam(parameters: $0, learningRate: 0.01); return o.step },
            { let o = Adam.adamW(parameters: $0, learningRate: 0.01, weightDecay: 0.1); return o.step },
        ]
        for (k, make) in optimizers.enumerated() {
            Parallel.threads = 1
            let one = try run(make)
            Parallel.threads = 2
            let two = try run(make)
            XCTAssertEqual(one.map(\.bitPattern), two.map(\.bitPattern), "optimizer \(k)")
            XCTAssertNotEqual(one, GradientCheck.random([70_001], seed: 3).scalars, "optimizer \(k) moved the weights")
        }
    }

    func testAdamAndAdamWFirstSteps() throws {
        let p = param([1, -2], grad: [0.3, -4])
        try Adam(parameters: [p], learningRate: 0.01).step()
        // First step: m̂ = g, v̂ = g², update = lr·g/(|g| + eps) ≈ lr·sign(g).
        assertClose(p.value, [0.99, -1.99], accuracy: 1e-5)
        let q = param([2], grad: [0])
        try Adam.adamW(parameters: [q], learningRate: 0.1, weightDecay: 0.5).step()
        assertClose(q.value, [2 - 0.1 * 0.5 * 2])
        let r = param([2], grad: [0])
        try Adam(parameters: [r], learningRate: 0.1, weightDecay: 0.5).step()
        // L2: g = 1 → update lr·sign = 0.1.
        assertClose(r.value, [1.9], accuracy: 1e-5)
    }

    /// Two steps straight equal one step, a save (through JSON), a restore into a fresh optimiser and one more step.
    func testOptimizerStateRoundTripResumesExactly() throws {
        func params() -> [(String, Parameter)] {
            [("w", Parameter(try! Tensor(shape: [3, 3], scalars: (0..<9).map { Float($0) / 7 - 0.5 }))),
             ("b", Parameter(try! Tensor(shape: [3], scalars: [0.1, -0.2, 0.3])))]
        }
        func setGrads(_ named: [(String, Parameter)], _ k: Float) {
            for (_, p) in named { p.grad = try! Tensor(shape: p.shape, scalars: (0..<p.value.count).map { sin(Float($0) * k) }) }
        }
        let makers: [(String, ([(String, Parameter)]) -> Optimizer)] = [
            ("sgd", { SGD(named: $0, learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01) }),
            ("adamw", { Adam(named: $0, learningRate: 0.01, weightDecay: 0.1, decoupledWeightDecay: true) }),
        ]
        for (label, make) in makers {
            let straight = params(), opt = make(straight)
            setGrads(straight, 1); try opt.step()
            setGrads(straight, 2); try opt.step()

            let first = params(), before = make(first)
            setGrads(first, 1); try before.step()
            let saved = try JSONDecoder().decode(OptimizerState.self, from: JSONEncoder().encode(before.state))
            XCTAssertEqual(saved, before.state, label)
            XCTAssertEqual(saved.step, 1, label)
            XCTAssertEqual(saved.slots["w"]?.updates, 1, label)
            let resumed = params()
            for ((_, p), (_, q)) in zip(resumed, first) { p.value = q.value }
            let after = make(resumed)
            try after.restore(saved)
            setGrads(resumed, 2); try after.step()
            for ((name, p), (_, q)) in zip(resumed, straight) {
                XCTAssertEqual(p.value.scalars, q.value.scalars, "\(label) \(name) bit-exact after resume")
            }
            XCTAssertEqual(after.state, opt.state, label)
        }
    }

    func testOptimizerStateRestoreListsMismatches() throws {
        let w = Parameter(Tensor(zeros: [2, 2]))
        let sgd = SGD(named: [("w", w)], learningRate: 0.1, momentum: 0.9)
        let bad = OptimizerState(step: 3, slots: [
            "w": .init(updates: 3, buffers: ["momentum": Tensor(zeros: [4])]),
            "ghost": .init(updates: 3, buffers: ["momentum": Tensor(zeros: [1])]),
        ])
        XCTAssertThrowsError(try sgd.restore(bad)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("'ghost' (no such parameter)") && text.contains("'w' buffer 'momentum' (shape [4], the parameter's is [2, 2])"), text)
        }
        XCTAssertEqual(sgd.state, OptimizerState(), "a rejected state leaves the optimiser unchanged")
        let adam = Adam(parameters: [w])
        XCTAssertThrowsError(try adam.restore(OptimizerState(step: 1, slots: ["0": .init(updates: 1, buffers: ["momentum": Tensor(zeros: [2, 2])])]))) {
            XCTAssertTrue("\($0)".contains("buffer 'momentum' (expected one of m, v)"), "\($0)")
        }
    }

    func testSchedules() {
        let cosine = CosineSchedule(base: 1, total: 10, minimum: 0.1)
        XCTAssertEqual(cosine.rate(at: 0), 1)
        XCTAssertEqual(cosine.rate(at: 5), 0.55, accuracy: 1e-6)
        XCTAssertEqual(cosine.rate(at: 10), 0.1)
        let sgdr = CosineWarmRestartsSchedule(base: 1, t0: 2, tMult: 2)
        // Cycles [0, 2), [2, 6), [6, 14).
        XCTAssertEqual([0, 1, 2, 4, 6].map { sgdr.rate(at: $0) }, [1, 0.5, 1, 0.5, 1].map { Float($0) })
        XCTAssertEqual(sgdr.rate(at: 3), Float((1 + cos(Double.pi / 4)) / 2), accuracy: 1e-6)
        XCTAssertEqual([0, 2, 3, 7].map { StepSchedule(base: 1, stepSize: 3, gamma: 0.5).rate(at: $0) }, [1, 1, 0.5, 0.25])
        let warm = LinearWarmupSchedule(steps: 4, then: StepSchedule(base: 2, stepSize: 10))
        XCTAssertEqual([0, 3, 4].map { warm.rate(at: $0) }, [0.5, 2, 2])
    }

    func testGradientClippingAndFiniteLossCheck() throws {
        let a = param([0], grad: [3]), b = param([0, 0], grad: [4, 0])
        XCTAssertEqual(TrainingGuards.clipGradientNorm([a, b], maxNorm: 1), 5, accuracy: 1e-5)
        assertClose(a.grad!, [0.6], accuracy: 1e-5)
        assertClose(b.grad!, [0.8, 0], accuracy: 1e-5)
        XCTAssertNoThrow(try TrainingGuards.requireFinite(Tensor(scalar: 1), step: 3))
        XCTAssertThrowsError(try TrainingGuards.requireFinite(Tensor(scalar: .nan), step: 17)) {
            XCTAssertTrue("\($0)".contains("step 17") && "\($0)".contains("nan"), "\($0)")
        }
    }
}

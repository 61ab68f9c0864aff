import XCTest
import HNASKit
@testable import SearchDARTS

final class TrainingPartsTests: XCTestCase {
    /// SPEC-fusion §5.2 reference values (AV-MNIST: 1 050 samples, batch 256, no restart ever).
    func testWarmRestartScheduleMatchesTheReferenceValues() {
        var schedule = OriginalWarmRestarts(etaMax: 1e-4, etaMin: 1e-6, samples: 1050, batchSize: 256)
        let expected = [1.000000e-04, 8.617584e-05, 5.242486e-05, 1.759875e-05, 1.149701e-06,
                        1.226536e-05, 4.473706e-05, 8.042766e-05, 9.940210e-05, 9.106218e-05]
        for (k, value) in expected.enumerated() {
            XCTAssertEqual(Double(schedule.next()), value, accuracy: value * 1e-5, "batch \(k)")
        }
        XCTAssertEqual(schedule.period, 1)
    }

    /// MM-IMDB: nbpe = 972 exactly; the restart fires on the first batch of epoch 2, which uses η_min.
    func testWarmRestartFiresWhenTheCounterLandsOnThePeriod() {
        var schedule = OriginalWarmRestarts(etaMax: 1e-4, etaMin: 1e-6, samples: 15_552, batchSize: 16)
        for _ in 0..<972 { _ = schedule.next() }
        XCTAssertEqual(schedule.period, 1)
        XCTAssertEqual(Double(schedule.next()), 1e-6, accuracy: 1e-10)
        XCTAssertEqual(schedule.period, 2)
        XCTAssertEqual(Double(schedule.next()), 1e-4, accuracy: 1e-10)
    }

    func testAccuracyAndWeightedF1() throws {
        let logits = try Tensor(shape: [3, 2], scalars: [1, 0, 0, 2, 3, 1])
        XCTAssertEqual(try FusionTask.metric(logits, .classes([0, 1, 1], classes: 2)), 200.0 / 3, accuracy: 1e-9)
        // Two labels; threshold σ > 0.3 ⇔ logit > −0.847.
        // label 0: predictions [1, 1, 0] vs truth [1, 0, 0] → TP 1, FP 1, FN 0 → F1 2/3, support 1
        // label 1: predictions [0, 1, 1] vs truth [1, 1, 1] → TP 2, FP 0, FN 1 → F1 4/5, support 3
        let multi = try Tensor(shape: [3, 2], scalars: [0, -2, -0.5, 0, -1, 1])
        let targets = try Tensor(shape: [3, 2], scalars: [1, 1, 0, 1, 0, 1])
        XCTAssertEqual(try FusionTask.metric(multi, .multiLabel(targets)), 100 * (1 * 2.0 / 3 + 3 * 0.8) / 4, accuracy: 1e-9)
    }

    func testAdaptiveMaxPoolingWindows() throws {
        // A 7×7 map pooled to 2×2 (L = 4): windows rows/cols 0..<4 and 3..<7 (overlapping at 3).
        let values = (0..<49).map(Float.init)
        let pooled = try FeaturePooling.pool(try Tensor(shape: [1, 1, 7, 7], scalars: values), length: 4)
        XCTAssertEqual(pooled.shape, [1, 1, 4])
        XCTAssertEqual(pooled.scalars, [24, 27, 45, 48])
        // A vector is replicated to every position.
        let vector = try FeaturePooling.pool(try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]), length: 4)
        XCTAssertEqual(vector.shape, [2, 3, 4])
        XCTAssertEqual(Array(vector.scalars.prefix(8)), [1, 1, 1, 1, 2, 2, 2, 2])
        XCTAssertThrowsError(try FeaturePooling.pool(vector, length: 5))
    }

    /// SPEC-fusion §7.5: near-uniform gammas give lat_n ≈ 0.689 for any S·T; the §9.3 genotype costs
    /// 0.9584076538085937 ms and 1.7027806534767151 mJ on the TX2 table.
    func testHardwareTermAndGenotypeCost() throws {
        let term = try HardwareTerm(hardware: FusionTable.tx2, fusionProtocol: .original)
        for cells in [1, 3] {
            let gammas = (0..<cells).map { _ in Parameter(Tensor(zeros: [2, 6])) }
            XCTAssertEqual(try Autograd.withoutGrad { try term.normalisedLatency(gammas) }.item, 0.689, accuracy: 1e-3)
        }
        let gammas = [Parameter(FiniteDifferences.random([1, 6], seed: 1))]
        try FiniteDifferences.check(inputs: [], parameters: gammas) { _ in try term(gammas: gammas) }
        let cost = try FusionTable.tx2.fusionCost(operators: ["ConcatFC", "SE1"]).total
        XCTAssertEqual(cost.latencyMs, 0.9584076538085937, accuracy: 1e-15)
        XCTAssertEqual(cost.energyMJ!, 1.7027806534767151, accuracy: 1e-15)
    }
}


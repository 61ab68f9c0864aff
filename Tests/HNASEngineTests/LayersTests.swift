import HNASTestSupport
import XCTest
@testable import HNASEngine

final class LayersTests: XCTestCase {
    func makeNet(seed: UInt64 = 1) -> Sequential {
        var g = SeededGenerator(seed: seed)
        return Sequential([
            Conv2d(inChannels: 1, outChannels: 4, kernelSize: 3, padding: 1, bias: false, generator: &g),
            BatchNorm(features: 4), ActivationLayer(.relu),
            Sequential([GlobalAveragePool(), Flatten(), Dropout(probability: 0.5, generator: g.fork())]),
            Linear(inFeatures: 4, outFeatures: 3, generator: &g),
        ])
    }

    func testStateDictNamesFollowPyTorch() {
        let net = makeNet()
        XCTAssertEqual(net.namedParameters().map(\.0), ["0.weight", "1.weight", "1.bias", "4.weight", "4.bias"])
        XCTAssertEqual(net.namedBuffers().map(\.0), ["1.running_mean", "1.running_var", "1.num_batches_tracked"])
        XCTAssertEqual(net.namedModules().map(\.0), ["", "0", "1", "2", "3", "3.0", "3.1", "3.2", "4"])
    }

    func testTrainEvalPropagatesAndChangesBehaviour() throws {
        let net = makeNet()
        let x = GradientCheck.random([2, 1, 5, 5], seed: 2)
        net.eval()
        XCTAssertTrue(net.namedModules().allSatisfy { !$0.1.isTraining })
        let a = try net(x), b = try net(x)
        XCTAssertEqual(a, b) // no dropout, running statistics
        net.train()
        XCTAssertTrue(net.namedModules().allSatisfy { $0.1.isTraining })
        XCTAssertNotEqual(try net(x), a)
    }

    func testInitSchemes() {
        var g = SeededGenerator(seed: 3)
        let conv = Conv2d(inChannels: 16, outChannels: 64, kernelSize: 5, bias: true, generator: &g)
        let w = conv.weight.value.scalars
        let std = (w.map { $0 * $0 }.reduce(0, +) / Float(w.count)).squareRoot()
        XCTAssertEqual(std, (2.0 / Float(5 * 5 * 64)).squareRoot(), accuracy: 0.01 * std * 10)
        XCTAssertEqual(conv.bias?.value.scalars, [Float](repeating: 0, count: 64))
        let linear = Linear(inFeatures: 100, outFeatures: 10, generator: &g)
        XCTAssertTrue(linear.weight.value.scalars.allSatisfy { abs($0) <= 0.1 })
        XCTAssertGreaterThan(linear.weight.value.scalars.map(abs).max()!, 0.09)
        let small = Linear(inFeatures: 400, outFeatures: 50, scheme: .normal(std: 0.01), generator: &g).weight.value.scalars
        XCTAssertEqual((small.map { $0 * $0 }.reduce(0, +) / Float(small.count)).squareRoot(), 0.01, accuracy: 0.0005)
    }

    func testBatchNormRunningStatisticsMomentumAndCumulative() throws {
        let bn = BatchNorm(features: 2)
        // Channel 0: 1, 2, 3, 4 (mean 2.5, unbiased var 5/3); channel 1: 0, 0, 2, 2 (mean 1, unbiased var 4/3).
        let x = try Tensor(shape: [2, 2, 2], scalars: [1, 2, 0, 0, 3, 4, 2, 2])
        _ = try bn(x)
        assertClose(bn.runningMean.value, [0.25, 0.1])
        assertClose(bn.runningVar.value, [0.9 + 0.1 * 5 / 3, 0.9 + 0.1 * 4 / 3])
        XCTAssertEqual(bn.batchesTracked.value.item, 1)

        // Recalibration: reset, cumulative average over two batches.
        bn.momentum = nil
        bn.resetRunningStatistics()
        _ = try bn(x)
        _ = try bn(x * 3)
        assertClose(bn.runningMean.value, [(2.5 + 7.5) / 2, (1 + 3) / 2])
        assertClose(bn.runningVar.value, [(5.0 / 3 + 15) / 2, (4.0 / 3 + 12) / 2])
        XCTAssertEqual(bn.batchesTracked.value.item, 2)

        bn.eval()
        let y = try bn(try Tensor(shape: [1, 2, 1], scalars: [5, 2]))
        assertClose(y, [0, 0], accuracy: 1e-4)
    }

    func testBatchNormRecalibrationAveragesBatchesWithDropoutOff() throws {
        let net = makeNet()
        let batches = [GradientCheck.random([3, 1, 4, 4], seed: 81), GradientCheck.random([3, 1, 4, 4], seed: 82)]
        net.beginBatchNormRecalibration()
        let bn = net.layers[1] as! BatchNorm
        XCTAssertTrue(bn.isTraining)
        XCTAssertFalse((net.layers[3] as! Sequential).layers[2].isTraining) // dropout stays off
        try Autograd.withoutGrad { for x in batches { _ = try net(x) } }
        net.finishBatchNormRecalibration()
        XCTAssertFalse(bn.isTraining)
        XCTAssertEqual(bn.momentum, 0.1)
        XCTAssertEqual(bn.batchesTracked.value.item, 2)
        // The running mean is the plain average of the two batch means of the conv output.
        let conv = net.layers[0] as! Conv2d
        let means = try batches.map { try conv($0).mean(axes: [0, 2, 3]) }
        assertClose(bn.runningMean.value, try ((means[0] + means[1]) * 0.5).scalars, accuracy: 1e-5)
    }

    func testElasticBatchNormUsesAndUpdatesLeadingChannels() throws {
        let bn = BatchNorm(features: 4)
        let x = try Tensor(shape: [2, 2, 1], scalars: [1, 5, 3, 7])
        let y = try bn(x)
        XCTAssertEqual(y.shape, [2, 2, 1])
        assertClose(bn.runningMean.value, [0.2, 0.6, 0, 0])
        assertClose(bn.runningVar.value, [0.9 + 0.2, 0.9 + 0.2, 1, 1])
        XCTAssertThrowsError(try bn(Tensor(zeros: [2, 5, 1]))) { XCTAssertTrue("\($0)".contains("BatchNorm")) }
    }

    func testLayerNormLayerNormalisesRows() throws {
        let ln = LayerNorm(normalizedShape: [4])
        let y = try ln(try Tensor(shape: [1, 4], scalars: [1, 2, 3, 4]))
        XCTAssertEqual(y.scalars.reduce(0, +), 0, accuracy: 1e-5)
        XCTAssertEqual(ln.namedParameters().map(\.0), ["weight", "bias"])
    }
}

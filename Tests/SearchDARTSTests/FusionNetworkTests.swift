import XCTest
import HNASKit
@testable import SearchDARTS

final class FusionNetworkTests: XCTestCase {
    func inputs(_ channels: [Int], batch: Int = 3, length: Int = 4, seed: UInt64 = 5) -> [Tensor] {
        channels.enumerated().map { FiniteDifferences.random([batch, $1, length], seed: seed + UInt64($0)) }
    }

    func testArchitectureParameterShapesFollowTheSpec() throws {
        for (n, s, t, alpha, betas, gammas) in [(8, 2, 1, [17, 2], [2, 2], [1, 6]), (8, 3, 4, [27, 2], [14, 2], [4, 6])] {
            var generator = SeededGenerator(seed: 1)
            let shape = FusionShape(inputChannels: Array(repeating: 3, count: n), channels: 4, length: 4, outputs: 10,
                                    steps: s, nodeSteps: t)
            let net = try SearchNetwork(shape: shape, generator: &generator)
            XCTAssertEqual(net.alphaEdges.shape, alpha)
            XCTAssertEqual(net.cells.map(\.betas.shape), Array(repeating: betas, count: s))
            XCTAssertEqual(net.cells.map(\.gammas.shape), Array(repeating: gammas, count: s))
            XCTAssertEqual(net.architectureParameters.count, 1 + 2 * s)
            XCTAssertTrue(net.architectureParameters.allSatisfy { p in p.value.scalars.allSatisfy { abs($0) < 0.01 } }, "1e-3·N(0,1) init")
            let ids = Set(net.parameters.map(ObjectIdentifier.init))
            XCTAssertTrue(net.architectureParameters.allSatisfy { !ids.contains(ObjectIdentifier($0)) }, "weights and architecture are disjoint")
        }
    }

    func testOutputShapesForEveryMacroArchitecture() throws {
        for (s, t) in [(1, 1), (2, 1), (1, 3), (3, 2), (4, 4)] {
            var generator = SeededGenerator(seed: 2)
            let shape = FusionShape(inputChannels: [3, 5, 2], channels: 4, length: 4, outputs: 7, steps: s, nodeSteps: t)
            let net = try SearchNetwork(shape: shape, generator: &generator)
            XCTAssertEqual(try net(inputs([3, 5, 2])).shape, [3, 7], "S=\(s) T=\(t)")
            let genotype = try RandomGenotype.sample(inputNodes: 3, steps: s, nodeSteps: t, multiplier: 2, generator: &generator)
            let derived = try DerivedNetwork(genotype: genotype, shape: shape, generator: &generator)
            XCTAssertEqual(try derived(inputs([3, 5, 2])).shape, [3, 7], "derived S=\(s) T=\(t)")
        }
    }

    /// Without gradients the networks take their one-pass paths (cells' input mixtures together, batch
    /// norms as convolution epilogues, fused layer norms); in evaluation mode they give the bits of the
    /// recorded ops. Batch norm statistics away from the identity, so the epilogues do something.
    func testInferenceWithoutGradientsGivesTheBitsOfTheRecordedOps() throws {
        var generator = SeededGenerator(seed: 6)
        let shape = FusionShape(inputChannels: [3, 5, 2, 4], channels: 6, length: 5, outputs: 7, steps: 3, nodeSteps: 2)
        let genotype = try RandomGenotype.sample(inputNodes: 4, steps: 3, nodeSteps: 2, multiplier: 2, generator: &generator)
        let nets: [any FusionNetwork] = [try SearchNetwork(shape: shape, generator: &generator),
                                         try DerivedNetwork(genotype: genotype, shape: shape, generator: &generator)]
        let x = inputs([3, 5, 2, 4], batch: 9, length: 5)
        for net in nets {
            for (k, bn) in net.namedModules().compactMap({ $0.1 as? BatchNorm }).enumerated() {
                bn.runningMean.value = FiniteDifferences.random(bn.runningMean.value.shape, seed: 100 + UInt64(k))
                bn.runningVar.value = FiniteDifferences.random(bn.runningVar.value.shape, seed: 200 + UInt64(k)) + 1.5
            }
            net.eval()
            let recorded = try net(x), plain = try Autograd.withoutGrad { try net(x) }
            XCTAssertEqual(plain.scalars.map(\.bitPattern), recorded.scalars.map(\.bitPattern), "\(type(of: net))")
        }
    }

    /// At search time a cell sees `u` twice (SPEC-fusion §10.1): with skip-dominated betas and a
    /// Sum-dominated gamma, one inner step gives v = 2u, o = Sum(v, v) = 4u, out = LN(4u + u).
    func testSearchCellFeedsTheSameTensorTwice() throws {
        var generator = SeededGenerator(seed: 3)
        let cell = try SearchCell(nodeSteps: 1, channels: 2, length: 4, dropout: 0, generator: &generator)
        cell.betas.value = try Tensor(shape: [2, 2], scalars: [-50, 50, -50, 50])
        cell.gammas.value = try Tensor(shape: [1, 6], scalars: [50, -50, -50, -50, -50, -50])
        let u = FiniteDifferences.random([2, 2, 4], seed: 9)
        let expected = try Tensor.layerNorm(u * 5, normalizedShape: [2, 4], weight: nil, bias: nil)
        let out = try cell(u, u)
        for (a, b) in zip(out.scalars, expected.scalars) { XCTAssertEqual(a, b, accuracy: 1e-4) }
    }

    /// A derived cell with SE1 on inner edges [1, 0]: o = SE1(b, a) = a ⊙ σ(ReLU(W·mean_L(b) + c)),
    /// out = LN(o + a), computed here element by element.
    func testDerivedCellForwardByHand() throws {
        var generator = SeededGenerator(seed: 4)
        let step = FusionGenotype.Step(innerEdges: [.init("skip", 1), .init("skip", 0)], innerSteps: ["SE1"], innerConcat: [2])
        let cell = try DerivedCell(step: step, cell: 0, channels: 2, length: 2, dropout: 0, generator: &generator)
        let se = cell.ops[0] as! SqueezeExciteFusion
        se.linear.weight.value = try Tensor(shape: [2, 2], scalars: [0.5, -1, 2, 0.25])
        se.linear.bias?.value = try Tensor(shape: [2], scalars: [0.1, -0.2])
        let a = try Tensor(shape: [1, 2, 2], scalars: [1, 2, -1, 0.5]), b = try Tensor(shape: [1, 2, 2], scalars: [3, -1, 0, 4])
        let q: [Float] = [(3 - 1) / 2, (0 + 4) / 2]
        let gate = [0.5 * q[0] - q[1] + 0.1, 2 * q[0] + 0.25 * q[1] - 0.2].map { 1 / (1 + exp(-max($0, 0))) }
        let av = a.scalars
        let sum = (0..<4).map { av[$0] * gate[$0 / 2] + av[$0] }
        let mean = sum.reduce(0, +) / 4
        let variance = sum.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4
        let expected = sum.map { ($0 - mean) / (variance + 1e-5).squareRoot() }
        let out = try cell(a, b).scalars
        for (x, e) in zip(out, expected) { XCTAssertEqual(x, e, accuracy: 1e-5) }
    }

    /// The derived network routes the states its genotype names (§9.4): its forward equals its own
    /// parts composed by hand with z_3 and z_6 into cell 0 and z_0, z_5 into cell 1.
    func testDerivedNetworkRoutesTheGenotypeStates() throws {
        let genotype = try FusionGenotype(pythonRepr: "Genotype(edges=[('skip', 3), ('skip', 6), ('skip', 0), ('skip', 5)], steps=[StepGenotype(inner_edges=[('skip', 1), ('skip', 0)], inner_steps=['ConcatFC'], inner_concat=[2]), StepGenotype(inner_edges=[('skip', 0), ('skip', 1)], inner_steps=['SE1'], inner_concat=[2])], concat=[8, 9])")
        var generator = SeededGenerator(seed: 6)
        let shape = FusionShape(inputChannels: [2, 2, 3, 3, 2, 2, 3, 3], channels: 4, length: 4, outputs: 10, steps: 2, nodeSteps: 1)
        let net = try DerivedNetwork(genotype: genotype, shape: shape, generator: &generator)
        net.eval()
        let x = inputs(shape.inputChannels)
        let z = try zip(net.reshapes, x).map { try $0($1) }
        let s8 = try net.cells[0](z[3], z[6]), s9 = try net.cells[1](z[0], z[5])
        let expected = try net.head([s8, s9])
        XCTAssertEqual(try net(x).scalars, expected.scalars)
        // And ConcatFC in cell 0 really takes (inner[1], inner[0]) = (z_6, z_3):
        let concat = cell0Operator(net)
        let o = try concat(z[6], z[3])
        let manual = try net.cells[0].norm(o + z[3])
        XCTAssertEqual(s8.scalars, manual.scalars)
    }

    private func cell0Operator(_ net: DerivedNetwork) -> ConcatConv { net.cells[0].ops[0] as! ConcatConv }

    /// The first-order architecture gradient (d loss / d alpha, betas, gammas) through the whole
    /// supernet matches finite differences (evaluation mode, so the forward is deterministic).
    func testArchitectureGradientMatchesFiniteDifferences() throws {
        var generator = SeededGenerator(seed: 7)
        let shape = FusionShape(inputChannels: [2, 3, 2], channels: 3, length: 4, outputs: 3, steps: 2, nodeSteps: 2)
        let net = try SearchNetwork(shape: shape, generator: &generator)
        for p in net.architectureParameters {
            p.value = FiniteDifferences.random(p.shape, seed: UInt64(p.value.count), range: -1...1)
        }
        net.eval()
        let x = inputs(shape.inputChannels, batch: 4)
        let labels = [0, 2, 1, 2]
        try FiniteDifferences.check(inputs: [], parameters: net.architectureParameters, eps: 1e-2, tolerance: 2e-2) { _ in
            try FusionTask.loss(net(x), .classes(labels, classes: 3))
        }
    }

    /// One architecture step moves only architecture parameters; a weight step only weights.
    func testBilevelStepsTouchDisjointParameterSets() throws {
        var generator = SeededGenerator(seed: 8)
        let shape = FusionShape(inputChannels: [2, 2], channels: 3, length: 4, outputs: 2, steps: 1, nodeSteps: 1)
        let net = try SearchNetwork(shape: shape, generator: &generator)
        disableDropout(net)
        let weightsBefore = net.parameters.map(\.value.scalars), archBefore = net.architectureParameters.map(\.value.scalars)
        let archOptimizer = Adam(parameters: net.architectureParameters, learningRate: 0.1, beta1: 0.5, beta2: 0.999)
        try FusionTask.loss(net(inputs([2, 2], batch: 4)), .classes([0, 1, 1, 0], classes: 2)).backward()
        try archOptimizer.step()
        XCTAssertEqual(net.parameters.map(\.value.scalars), weightsBefore)
        XCTAssertNotEqual(net.architectureParameters.map(\.value.scalars), archBefore)
    }
}

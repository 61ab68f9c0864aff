import HNASKit
@testable import SearchDARTS
import XCTest

/// The search cell, the supernet, the derived network and the feature pooling against the
/// PyTorch restatement of SPEC-fusion §1.4, §2, §4 and §6.5 (`Scripts/make_fusion_goldens.py`,
/// `fusion_networks.safetensors`), with random weights, BatchNorm statistics and architecture
/// weights, dropout off. Tolerances: `Golden`.
///
/// Deliberate difference, not visible here: the 'none' edge contributes exactly 0, where the
/// original computes `0·h` (different only when h already holds NaN/Inf, SPEC-fusion §10.22).
final class FusionNetworkGoldenTests: XCTestCase {
    private func golden() throws -> Golden { try Golden("fusion_networks.safetensors") }

    /// A search cell with T = 2 called as `cell(u, u)` (§2.2, §10.1): softmax over inner edges and
    /// over the six operators, all operators evaluated, `LayerNorm(o_1 + u)`; output and gradients
    /// for u, betas, gammas and every weight.
    func testSearchCellMatchesPyTorch() throws {
        let golden = try golden()
        var generator = SeededGenerator(seed: 1)
        let cell = try SearchCell(nodeSteps: 2, channels: GoldenShape.channels, length: GoldenShape.length,
                                  dropout: 0.1, generator: &generator)
        try golden.load(cell, prefix: "cell.state.")
        disableDropout(cell)
        cell.betas.value = try golden.tensor("cell.betas")
        cell.gammas.value = try golden.tensor("cell.gammas")
        let u = Parameter(try golden.tensor("cell.u"))
        let out = try cell(u.value, u.value)
        try golden.assertClose(out, "cell.out")
        try (out * golden.tensor("cell.cotangent")).sum().backward()
        let named = cell.namedParameters()
        let scale = try golden.gradientScale(["cell.grad.u", "cell.grad.betas", "cell.grad.gammas"] + named.map { "cell.grad.\($0.0)" })
        try golden.assertClose(u.grad, "cell.grad.u", gradientScale: scale)
        try golden.assertClose(cell.betas.grad, "cell.grad.betas", gradientScale: scale)
        try golden.assertClose(cell.gammas.grad, "cell.grad.gammas", gradientScale: scale)
        for (name, p) in named { try golden.assertClose(p.grad, "cell.grad.\(name)", gradientScale: scale) }
    }

    /// The supernet S = 2, T = 2 (§2.1, §4): eval logits (running statistics), train logits,
    /// cross-entropy and the multi-label BCE (§4.4), the gradients of every weight and architecture
    /// parameter, the BN statistics after.
    func testSearchNetworkMatchesPyTorch() throws {
        let golden = try golden()
        let net = try network("net", steps: 2, nodeSteps: 2, golden)
        let batch = try golden.batch("net", inputs: 3, classes: GoldenShape.classes)
        let (logits, loss) = try assertForward(net, "net", batch, golden)
        try golden.assertClose(try FusionTask.loss(logits, .multiLabel(golden.tensor("net.targets"))), "net.bce")
        try loss.backward()
        let named = net.namedParameters() + net.namedArchitectureParameters
        let scale = try golden.gradientScale(named.map { "net.grad.\($0.0)" })
        for (name, p) in named { try golden.assertClose(p.grad, "net.grad.\(name)", gradientScale: scale) }
        for (name, b) in net.namedBuffers() where name.contains("running") { try golden.assertClose(b.value, "net.after.\(name)") }
    }

    /// S = 1 with M = 2: the head concatenates the last *input* node with the cell output (§4.2, §10.15).
    func testSingleCellNetworkConcatenatesTheLastInputNode() throws {
        let golden = try golden()
        let net = try network("net1", steps: 1, nodeSteps: 1, golden)
        try assertForward(net, "net1", try golden.batch("net1", inputs: 3, classes: GoldenShape.classes), golden)
    }

    /// The supernet's α, β, γ give the script's genotype (§6.2–6.3), and the derived network of that
    /// genotype (§6.5: two different inputs per cell, one operator per inner step) matches PyTorch.
    func testDerivedGenotypeAndNetworkMatchPyTorch() throws {
        let golden = try golden()
        let supernet = try network("net", steps: 2, nodeSteps: 2, golden)
        let derived = try supernet.deriveGenotype()
        XCTAssertEqual(derived.genotype.pythonRepr, try golden.metadata("net.genotype"))
        XCTAssertTrue(derived.notes.isEmpty)

        var generator = SeededGenerator(seed: 2)
        let net = try DerivedNetwork(genotype: derived.genotype, shape: GoldenShape.fusion(steps: 2, nodeSteps: 2),
                                     generator: &generator)
        try golden.load(net, prefix: "derived.state.")
        try assertForward(net, "derived", try golden.batch("net", inputs: 3, classes: GoldenShape.classes), golden)
    }

    /// Backbone features to `[n, c, 16]` (§1.4 steps 1–3) like `AdaptiveMaxPool2d((4, 4))` and a
    /// flatten: overlapping windows (7×7, 5×5, 6×1), exact ones (14×14), a vector replicated.
    func testFeaturePoolingMatchesPyTorch() throws {
        let golden = try golden()
        for k in 0..<5 {
            let pooled = try FeaturePooling.pool(golden.tensor("pool.\(k).in"), length: 16)
            XCTAssertEqual(pooled, try golden.tensor("pool.\(k).out"), "feature \(k)")
        }
    }

    /// `<prefix>.eval` (evaluation mode), then in training mode with dropout off `<prefix>.logits`
    /// and the cross-entropy `<prefix>.loss`; returns the training-mode logits and loss.
    @discardableResult
    private func assertForward(_ net: any FusionNetwork, _ prefix: String, _ batch: PooledSplit,
                               _ golden: Golden) throws -> (logits: Tensor, loss: Tensor) {
        net.eval()
        try golden.assertClose(try Autograd.withoutGrad { try net(batch.features) }, "\(prefix).eval")
        net.train()
        disableDropout(net)
        let logits = try net(batch.features)
        try golden.assertClose(logits, "\(prefix).logits")
        let loss = try FusionTask.loss(logits, batch.labels)
        try golden.assertClose(loss, "\(prefix).loss")
        return (logits, loss)
    }

    /// A supernet of the fixture's sizes holding `<prefix>.state.*` and the architecture `<prefix>.<name>`.
    private func network(_ prefix: String, steps: Int, nodeSteps: Int, _ golden: Golden) throws -> SearchNetwork {
        var generator = SeededGenerator(seed: 3)
        let net = try SearchNetwork(shape: GoldenShape.fusion(steps: steps, nodeSteps: nodeSteps), generator: &generator)
        try golden.load(net, prefix: "\(prefix).state.")
        for (name, p) in net.namedArchitectureParameters { p.value = try golden.tensor("\(prefix).\(name)") }
        return net
    }
}

import HNASKit
@testable import SearchDARTS
import XCTest

/// First-order DARTS iterations and the hardware term against the PyTorch restatement of
/// SPEC-fusion §5 and §7.3 (`Scripts/make_fusion_goldens.py`, `fusion_darts_step.safetensors`).
///
/// From given weights and architecture parameters, two iterations of `DARTSIteration` (weight step
/// on the train batch at the original's scheduled rates, then architecture step on the test batch)
/// against `torch.optim.Adam` with the original's settings: weights Adam(0.9, 0.999), L2 1e-4;
/// architecture Adam(0.5, 0.999) at 3e-4, L2 1e-3. Two iterations, because a single Adam step moves
/// every element by ±rate whatever the betas. Dropout is off on both sides. Tolerances: `Golden`.
///
/// Protocols:
/// - `original`: weight loss `√CE + √lat_n + √enrg_n` (TX2 constants), architecture loss CE — the
///   hardware term is inert (§5.4).
/// - `sound` — hnas's deliberate deviation (README, "fusion search, hardware term"): weight loss
///   `√CE`, architecture loss `CE + 0.1·(√lat_n + √enrg_n)` normalised by the table's own range.
final class DARTSStepGoldenTests: XCTestCase {
    private static let inputs = 3

    private struct Snapshot {
        var weightLoss: Float, archLoss: Float, rate: Float
        var values: [String: Tensor]
    }

    /// The fixture's start network and two DARTS iterations under `fusionProtocol` with `hardware`;
    /// the architecture gradients the first weight step left, and a snapshot after each iteration.
    private func iterate(_ fusionProtocol: FusionProtocol, hardware: (any HardwareModel)?,
                         _ golden: Golden) throws -> (weightGrad: [String: Tensor?], after: [Snapshot]) {
        var generator = SeededGenerator(seed: 1)
        let net = try SearchNetwork(shape: GoldenShape.fusion(steps: 2, nodeSteps: 2), generator: &generator)
        try golden.load(net, prefix: "start.state.")
        for (name, p) in net.namedArchitectureParameters { p.value = try golden.tensor("start.\(name)") }
        var options = FusionSearchOptions()
        options.fusionProtocol = fusionProtocol
        options.batchSize = 256   // with 1 050 weight samples: AV-MNIST's schedule, nbpe = 4.1015625
        let term = try hardware.map { try HardwareTerm(hardware: $0, fusionProtocol: fusionProtocol) }
        let iteration = DARTSIteration(network: net, weightSamples: 1050, options: options, hardware: term,
                                       generator: generator.fork())
        let train = try golden.batch("train", inputs: Self.inputs, classes: GoldenShape.classes)
        let test = try golden.batch("test", inputs: Self.inputs, classes: GoldenShape.classes)
        net.train()
        disableDropout(net)
        var weightGrad: [String: Tensor?] = [:], after: [Snapshot] = []
        for k in 0..<2 {
            let weightLoss = try iteration.weightStep(on: train)
            let rate = iteration.trainer.optimizer.learningRate
            if k == 0 {
                for (name, p) in net.namedArchitectureParameters { weightGrad[name] = p.grad }
            }
            let archLoss = try iteration.architectureStep(on: test)
            var values: [String: Tensor] = [:]
            for (name, p) in net.namedParameters() + net.namedArchitectureParameters {
                values[name] = try Tensor(shape: p.shape, scalars: p.value.scalars)
            }
            for (name, b) in net.namedBuffers() where name.contains("running") {
                values[name] = try Tensor(shape: b.value.shape, scalars: b.value.scalars)
            }
            after.append(Snapshot(weightLoss: weightLoss, archLoss: archLoss, rate: rate, values: values))
        }
        return (weightGrad, after)
    }

    /// Both iterations against the golden `<protocol>.*`.
    private func check(_ fusionProtocol: FusionProtocol, _ golden: Golden) throws {
        let p = fusionProtocol.rawValue
        let (weightGrad, after) = try iterate(fusionProtocol, hardware: FusionTable.tx2, golden)
        let rates = try golden.tensor("weight_rates").scalars
        let archNames = weightGrad.keys.sorted()
        let scale = try golden.gradientScale(archNames.map { "\(p).weight_grad.\($0)" })
        for name in archNames {
            try golden.assertClose(weightGrad[name]!, "\(p).weight_grad.\(name)", gradientScale: scale)
        }
        for (k, snapshot) in after.enumerated() {
            let it = k + 1
            XCTAssertEqual(snapshot.rate, rates[k], accuracy: rates[k] * 1e-6, "weight rate of iteration \(it)")
            try golden.assertClose(Tensor(scalar: snapshot.weightLoss), "\(p).\(it).weight_loss")
            try golden.assertClose(Tensor(scalar: snapshot.archLoss), "\(p).\(it).arch_loss")
            let weightRates = rates[0...k].reduce(0, +), archRates = Float(it) * 3e-4
            for (name, value) in snapshot.values {
                if name.contains("running") {
                    try golden.assertClose(value, "\(p).\(it).after.\(name)")
                } else if archNames.contains(name) {
                    try golden.assertStep(value, "\(p).\(it).after.\(name)", from: golden.tensor("start.\(name)"),
                                          learningRates: archRates)
                } else {
                    try golden.assertStep(value, "\(p).\(it).after.\(name)", from: golden.tensor("start.state.\(name)"),
                                          learningRates: weightRates)
                }
            }
        }
    }

    func testOriginalIterationsMatchPyTorch() throws {
        try check(.original, try Golden("fusion_darts_step.safetensors"))
    }

    func testSoundIterationsMatchPyTorch() throws {
        try check(.sound, try Golden("fusion_darts_step.safetensors"))
    }

    /// `original`: the hardware term reaches `gammas` in the weight step, but the architecture step
    /// clears it first, so the iterations end exactly where they end without any hardware model (§5.4).
    func testHardwareTermIsInertUnderOriginal() throws {
        let golden = try Golden("fusion_darts_step.safetensors")
        let with = try iterate(.original, hardware: FusionTable.tx2, golden)
        let without = try iterate(.original, hardware: nil, golden)
        XCTAssertNotEqual(with.weightGrad["fusion_net.cells.0.gammas"]!?.scalars,
                          without.weightGrad["fusion_net.cells.0.gammas"]!?.scalars, "the term leaves a gradient on gammas")
        XCTAssertEqual(with.weightGrad["alpha_edges"]!?.scalars, without.weightGrad["alpha_edges"]!?.scalars)
        for (a, b) in zip(with.after, without.after) {
            XCTAssertEqual(a.values, b.values)
            XCTAssertEqual(a.archLoss, b.archLoss)
            XCTAssertGreaterThan(a.weightLoss, b.weightLoss, "only the reported weight loss carries the term")
        }
    }

    /// `√lat_n + √enrg_n`, `lat_n`, `enrg_n` and the gradient for the cells' gammas (§7.3), for the
    /// TX2 and AGX tables, under `original` (the TX2 normalisers whatever the table) and `sound`
    /// (the table's own range — deviation). On Sum-dominated gammas with AGX, the original's `lat_n`
    /// is negative and its square root NaN; hnas clamps at 0 (deviation, README "fusion search,
    /// hardware term").
    func testHardwareTermMatchesPyTorch() throws {
        let golden = try Golden("fusion_darts_step.safetensors")
        for (tableName, table) in [("tx2", FusionTable.tx2), ("agx", FusionTable.agx)] {
            for fusionProtocol in FusionProtocol.allCases {
                let term = try HardwareTerm(hardware: table, fusionProtocol: fusionProtocol)
                for (source, suffix) in [("hw.gammas", ""), ("hw.sum_gammas", "_sum")] {
                    let key = "hw.\(tableName)_\(fusionProtocol.rawValue)\(suffix)"
                    let gammas = try (0..<2).map { Parameter(try golden.tensor("\(source).\($0)")) }
                    let value = try term(gammas: gammas)
                    let latency = try Autograd.withoutGrad { try term.normalisedLatency(gammas) }
                    let energy = try XCTUnwrap(try Autograd.withoutGrad { try term.normalisedEnergy(gammas) })
                    try golden.assertClose(energy, "\(key).enrg_n")
                    guard golden.file.tensors["\(key).value"] != nil else {
                        // The original's value is NaN here: lat_n < 0. hnas clamps it to 0 (+1e-12).
                        XCTAssertLessThan(try golden.tensor("\(key).lat_n").item, 0, key)
                        XCTAssertEqual(latency.item, 1e-12, key)
                        XCTAssertEqual(value.item, 1e-6 + energy.item.squareRoot(), accuracy: 1e-6, key)
                        continue
                    }
                    try golden.assertClose(latency, "\(key).lat_n")
                    try golden.assertClose(value, "\(key).value")
                    try value.backward()
                    let scale = try golden.gradientScale((0..<2).map { "\(key).grad.\($0)" })
                    for (i, g) in gammas.enumerated() { try golden.assertClose(g.grad, "\(key).grad.\(i)", gradientScale: scale) }
                }
            }
        }
    }
}

import Foundation
import HNASTestSupport
import XCTest
@testable import HNASEngine

/// End-to-end: a small convnet built from the layers learns a synthetic task, reproducibly.
final class TrainingTests: XCTestCase {
    /// 32 images 1×8×8: class 0 is brighter on the left half, class 1 on the right, under noise four times the contrast.
    static func dataset() -> (Tensor, [Int]) {
        var g = SeededGenerator(seed: 77)
        var pixels: [Float] = []
        var labels: [Int] = []
        for i in 0..<32 {
            let label = i % 2
            labels.append(label)
            for _ in 0..<8 { for x in 0..<8 {
                let bright = (x < 4) == (label == 0)
                pixels.append((bright ? 0.6 : 0.4) + 0.8 * (g.uniformFloat() - 0.5))
            } }
        }
        return (try! Tensor(shape: [32, 1, 8, 8], scalars: pixels), labels)
    }

    static func model(seed: UInt64) -> Sequential {
        var g = SeededGenerator(seed: seed)
        return Sequential([
            Conv2d(inChannels: 1, outChannels: 4, kernelSize: 3, stride: 2, padding: 1, bias: false, generator: &g),
            BatchNorm(features: 4), ActivationLayer(.hardSwish),
            Flatten(), Dropout(probability: 0.1, generator: g.fork()),
            Linear(inFeatures: 64, outFeatures: 2, generator: &g),
        ])
    }

    /// The loss of each of `steps` SGD steps (momentum 0.9, lr 0.1, weight decay 1e-4).
    static func train(seed: UInt64, steps: Int) throws -> [Float] {
        let (x, y) = dataset()
        let net = model(seed: seed)
        let sgd = SGD(parameters: net.parameters, learningRate: 0.1, momentum: 0.9, weightDecay: 1e-4)
        var losses: [Float] = []
        for step in 0..<steps {
            net.zeroGrad()
            let loss = try Loss.crossEntropy(logits: try net(x), labels: y)
            try TrainingGuards.requireFinite(loss, step: step)
            try loss.backward()
            try sgd.step()
            losses.append(loss.item)
        }
        return losses
    }

    func testSmallConvnetLearnsSyntheticTask() throws {
        let losses = try Self.train(seed: 1, steps: 20)
        XCTAssertGreaterThan(losses[0], 0.5)
        XCTAssertLessThan(losses.last!, 0.01, "losses: \(losses)")
    }

    /// The example in the doc comment of `Tensor`, verbatim apart from the data and the file.
    func testDocExampleRuns() throws {
        let images = GradientCheck.random([4, 1, 6, 6], seed: 3), labels = [1, 0, 9, 3]
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-doc-example-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        var rng = SeededGenerator(seed: 1)
        let net = Sequential([Conv2d(inChannels: 1, outChannels: 8, kernelSize: 3, padding: 1, bias: false, generator: &rng),
                              BatchNorm(features: 8), ActivationLayer(.relu), GlobalAveragePool(), Flatten(),
                              Linear(inFeatures: 8, outFeatures: 10, generator: &rng)])
        let sgd = SGD(parameters: net.parameters, learningRate: 0.1, momentum: 0.9, weightDecay: 1e-4)
        net.zeroGrad()
        let loss = try Loss.crossEntropy(logits: try net(images), labels: labels)
        try loss.backward()
        try sgd.step()
        try net.save(to: url)
        XCTAssertEqual(try SafeTensors.read(from: url).tensors.keys.sorted(),
                       ["0.weight", "1.bias", "1.num_batches_tracked", "1.running_mean", "1.running_var", "1.weight", "5.bias", "5.weight"])
    }

    func testThreadCountDoesNotChangeLosses() throws {
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        Parallel.threads = 1
        let one = try Self.train(seed: 5, steps: 5)
        Parallel.threads = 2
        XCTAssertEqual(try Self.train(seed: 5, steps: 5), one)
    }

    func testSameSeedGivesIdenticalLosses() throws {
        let a = try Self.train(seed: 9, steps: 20), b = try Self.train(seed: 9, steps: 20)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, try Self.train(seed: 10, steps: 20))
    }
}

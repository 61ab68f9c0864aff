import HNASKit

/// The fusion network's output and the classifier (SPEC-fusion §4.2–4.3): the last M states are
/// concatenated along channels, `ReLU(LayerNorm_{[M·C, L]}(·))`, flattened channel-major and
/// mapped by `Linear_{M·C·L → outputs}` (PyTorch's default init). No pooling, no dropout.
final class ClassifierHead: Module {
    let norm: LayerNorm
    let classifier: Linear
    var isTraining = true

    init(states: Int, channels: Int, length: Int, outputs: Int, generator: inout SeededGenerator) {
        norm = LayerNorm(normalizedShape: [states * channels, length])
        let inFeatures = states * channels * length
        classifier = Linear(inFeatures: inFeatures, outFeatures: outputs, generator: &generator)
        classifier.bias?.value = WeightInit.uniform([outputs], bound: 1 / Float(inFeatures).squareRoot(), generator: &generator)
    }

    var children: [(String, Module)] { [("ln", norm), ("classifier", classifier)] }

    func callAsFunction(_ states: [Tensor]) throws -> Tensor {
        let h = try norm(concatenating: states, activation: .relu)
        return try classifier(h.flattened(from: 1))
    }
}

import Foundation
import HNASKit

/// A test-only searchable backbone: an MLP over a 1-D signal with three hidden layers of 8 units; gene `d`
/// (one value, 1…3) is the depth of the subnet, which shares the supernet's first `d` layers (weight sharing
/// as OFA does it, without BatchNorm). Its layers are priced as `linear` descriptors.
struct SensorBackbone: Backbone {
    static let key = "sensor-mlp"
    static let hidden = 8
    let name = SensorBackbone.key
    /// Signal length and classes.
    let inputs: Int, classes: Int

    var geneOrder: [String] { ["d"] }
    var searchSpace: [String: [[Int]]] { ["d": [[1, 2, 3]]] }

    func layerDescriptors(_ config: BackboneConfig) throws -> [LayerDescriptor] {
        try validate(config)
        let depth = config["d"]![0]
        return [.linear(inFeatures: inputs, outFeatures: Self.hidden)]
            + Array(repeating: .linear(inFeatures: Self.hidden, outFeatures: Self.hidden), count: depth - 1)
            + [.linear(inFeatures: Self.hidden, outFeatures: classes)]
    }

    func makeNetwork(seed: UInt64) throws -> any BackboneNetwork {
        SensorNetwork(backbone: self, depth: 3, seed: seed)
    }
}

/// The weights of `SensorBackbone`: the supernet (depth 3) or a subnet sharing its first layers.
final class SensorNetwork: Module, BackboneNetwork {
    let sensor: SensorBackbone
    let layers: [Linear]
    let head: Linear
    var isTraining = true

    init(backbone: SensorBackbone, depth: Int, seed: UInt64) {
        var g = SeededGenerator(seed: seed)
        sensor = backbone
        layers = (0..<depth).map { Linear(inFeatures: $0 == 0 ? backbone.inputs : SensorBackbone.hidden, outFeatures: SensorBackbone.hidden, generator: &g) }
        head = Linear(inFeatures: SensorBackbone.hidden, outFeatures: backbone.classes, generator: &g)
    }

    private init(backbone: SensorBackbone, layers: [Linear], head: Linear) {
        sensor = backbone
        self.layers = layers
        self.head = head
    }

    var backbone: any Backbone { sensor }
    var children: [(String, Module)] { layers.enumerated().map { ("hidden.\($0.offset)", $0.element as Module) } + [("head", head)] }

    /// Hidden outputs, then the logits.
    private func outputs(_ x: Tensor) throws -> [Tensor] {
        var list: [Tensor] = []
        var h = x
        for layer in layers {
            h = try layer(h).relu()
            list.append(h)
        }
        return list + [try head(h)]
    }

    func subnet(_ config: BackboneConfig, calibration: CalibrationBatches) throws -> any BackboneNetwork {
        try sensor.validate(config)
        return SensorNetwork(backbone: sensor, layers: Array(layers.prefix(config["d"]![0])), head: head)
    }

    func logits(_ x: Tensor) throws -> Tensor {
        try Autograd.withoutGrad { try outputs(x).last! }
    }

    /// The first and the last hidden output.
    func fusionFeatures(_ x: Tensor, count: Int) throws -> [Tensor] {
        guard count == 2 else { throw HNASError.argument("sensor features", why: "the sensor MLP gives 2, not \(count)") }
        let list = try Autograd.withoutGrad { try outputs(x) }
        return [list[0], list[list.count - 2]]
    }

    func save(to url: URL, metadata: [String: String]) throws {
        try (self as Module).save(to: url, metadata: metadata)
    }

    func load(from url: URL) throws {
        try load(stateDict: try SafeTensors.read(from: url), source: url.path)
    }

    /// Plain training of the deepest subnet with Adam and cross-entropy (enough for a plugin test).
    func train(on train: any LabelledSplit, selection: any LabelledSplit, options: BackboneTrainingOptions,
               log: (String) -> Void) throws -> [String: String] {
        let optimizer = Adam(named: namedParameters(), learningRate: 1e-2)
        var g = SeededGenerator(seed: options.seed)
        for epoch in 1...options.epochs {
            for rows in train.shuffledBatches(size: 8, using: &g) {
                zeroGrad()
                let loss = try Loss.crossEntropy(logits: try outputs(try train.inputs(rows)).last!, labels: train.labels(rows))
                try loss.backward()
                try optimizer.step()
            }
            log("sensor: epoch \(epoch)/\(options.epochs)")
        }
        return ["epochs": "\(options.epochs)"]
    }
}

/// An OFA MobileNetV3 network with weights: the elastic supernet of an `OFASupernetSpace`, or a
/// static subnet extracted from it (SPEC-backbone §1–2, §4).
///
/// Layout (once-for-all's module names): `first_conv` (3×3 s2 conv → BN → h_swish), `blocks`
/// (block 0 = the fixed expand-1 block, then four elastic block slots per stage),
/// `final_expand_layer` (1×1 → BN → h_swish), global average pool, `feature_mix_layer` (1×1, no BN,
/// h_swish), `classifier` (dropout + linear).
///
/// Use: `activate(config)` selects a subnet (kernel, expand ratio per block slot, depth per stage);
/// `outputs(_:)` runs it and returns once-for-all/Harmonic-NAS's output list `[first_conv, every
/// active block…, logits]`; `fusionFeatures(_:count:)` picks the fusion network's inputs from it;
/// `extractSubnet(_:)` copies the active weights into a static network with the same forward.
public final class OFAMobileNetV3: Module {
    public let space: OFASupernetSpace
    /// Whether this is the weight-sharing supernet (else a static extracted subnet).
    public let isElastic: Bool
    public let firstConv: OFAConvLayer
    public let blocks: [OFAMBConvBlock]
    /// Indices into `blocks` of each stage's block slots (once-for-all's `block_group_info`).
    public let stageBlocks: [[Int]]
    /// Active blocks per stage (`d`).
    public private(set) var runtimeDepth: [Int]
    public let finalExpandLayer: OFAConvLayer
    public let featureMixLayer: OFAConvLayer
    public let classifier: OFALinearLayer
    /// The config last activated (the max subnet initially; an extracted subnet's own config).
    public private(set) var activeConfig: BackboneConfig
    public var isTraining = true

    /// The dropout before the classifier in Harmonic-NAS: 0.2 (`cfg.dropout`) for the networks whose
    /// classifier it replaces (AV-MNIST, Memes), none for MM-IMDB, which keeps the factory's
    /// dropout-free classifier (SPEC-backbone §1.2).
    public static func defaultDropout(for space: OFASupernetSpace) -> Float {
        space.variant == .orig ? 0 : 0.2
    }

    /// A supernet with fresh weights (OFA's init; see `OFAMBConvBlock`), the max subnet active.
    public convenience init(space: OFASupernetSpace, dropout: Float? = nil, seed: UInt64 = 0) {
        var g = SeededGenerator(seed: seed)
        let firstConv = OFAConvLayer(inChannels: space.inputChannels, outChannels: space.stemWidth, kernelSize: 3, stride: 2,
                                     useBN: true, activation: .hardSwish, generator: &g)
        var blocks = [OFAMBConvBlock(inChannels: space.stemWidth, outChannels: space.firstBlockWidth, stride: 1,
                                     activation: .relu, useSE: false, kernelSizes: [3], expandRatios: [1],
                                     isElastic: false, generator: &g)]
        var stageBlocks: [[Int]] = []
        var channels = space.firstBlockWidth
        for stage in space.stages {
            stageBlocks.append(Array(blocks.count..<blocks.count + OFASupernetSpace.blocksPerStage))
            for position in 0..<OFASupernetSpace.blocksPerStage {
                blocks.append(OFAMBConvBlock(inChannels: channels, outChannels: stage.width, stride: position == 0 ? stage.stride : 1,
                                             activation: Activation(stage.activation), useSE: stage.useSE,
                                             kernelSizes: OFASupernetSpace.kernelChoices, expandRatios: OFASupernetSpace.expandChoices,
                                             isElastic: true, generator: &g))
                channels = stage.width
            }
        }
        let finalExpand = OFAConvLayer(inChannels: channels, outChannels: space.finalExpandWidth, kernelSize: 1, stride: 1,
                                       useBN: true, activation: .hardSwish, generator: &g)
        let featureMix = OFAConvLayer(inChannels: space.finalExpandWidth, outChannels: space.featureMixWidth, kernelSize: 1,
                                      stride: 1, useBN: false, activation: .hardSwish, generator: &g)
        let classifier = OFALinearLayer(inFeatures: space.featureMixWidth, outFeatures: space.classes,
                                        dropout: dropout ?? Self.defaultDropout(for: space), generator: &g)
        let backbone = OFABackbone(name: "supernet", space: space)
        self.init(space: space, isElastic: true, firstConv: firstConv, blocks: blocks, stageBlocks: stageBlocks,
                  finalExpandLayer: finalExpand, featureMixLayer: featureMix, classifier: classifier,
                  config: backbone.sample(.max, using: &g))
    }

    private init(space: OFASupernetSpace, isElastic: Bool, firstConv: OFAConvLayer, blocks: [OFAMBConvBlock],
                 stageBlocks: [[Int]], finalExpandLayer: OFAConvLayer, featureMixLayer: OFAConvLayer,
                 classifier: OFALinearLayer, config: BackboneConfig) {
        self.space = space
        self.isElastic = isElastic
        self.firstConv = firstConv
        self.blocks = blocks
        self.stageBlocks = stageBlocks
        self.runtimeDepth = stageBlocks.map(\.count)
        self.finalExpandLayer = finalExpandLayer
        self.featureMixLayer = featureMixLayer
        self.classifier = classifier
        self.activeConfig = config
    }

    public var children: [(String, Module)] {
        [("first_conv", firstConv as Module),
         ("blocks", OFAModuleNode(children: blocks.enumerated().map { (String($0.offset), $0.element as Module) })),
         ("final_expand_layer", finalExpandLayer), ("feature_mix_layer", featureMixLayer), ("classifier", classifier)]
    }

    /// The search-space view of this network (validation, sampling, layer descriptors).
    public var backbone: OFABackbone { OFABackbone(name: "OFA MobileNetV3 (\(space.variant.rawValue))", space: space) }

    /// Selects the subnet `config` (`ks`, `e` per block slot, `d` per stage) for the next forward passes.
    /// - Throws: `HNASError` naming the gene, position and allowed set when `config` is outside the
    ///   space, or when this is a static subnet (which has one config only).
    public func activate(_ config: BackboneConfig) throws {
        try backbone.validate(config)
        guard isElastic else {
            guard config == activeConfig else {
                throw HNASError.argument("config", why: "a static extracted subnet runs only its own config \(activeConfig), not \(config)")
            }
            return
        }
        let ks = config["ks"]!, e = config["e"]!
        for (slot, index) in stageBlocks.joined().enumerated() {
            try blocks[index].activate(kernel: ks[slot], expand: e[slot])
        }
        runtimeDepth = config["d"]!
        activeConfig = config
    }

    /// The indices into `blocks` of the active blocks, in order (block 0 first).
    public var activeBlockIndices: [Int] {
        [0] + zip(stageBlocks, runtimeDepth).flatMap { $0.0.prefix($0.1) }
    }

    /// The active subnet's output list (SPEC-backbone §4.1): `[first_conv(x), blocks[0], every
    /// active elastic block…, logits]`, `sum(d) + 3` tensors; feature maps are N×C×H×W, the logits N×classes.
    /// - Throws: `HNASError` when `x` is not N×inputChannels×H×W.
    public func outputs(_ x: Tensor) throws -> [Tensor] {
        guard x.rank == 4, x.shape[1] == space.inputChannels, x.shape[2] > 0, x.shape[3] > 0 else {
            throw HNASError.op("OFAMobileNetV3", why: "input \(x.shape) is not N×\(space.inputChannels)×H×W")
        }
        var list = [try firstConv(x)]
        for index in activeBlockIndices { list.append(try blocks[index](list.last!)) }
        var h = try finalExpandLayer(list.last!)
        h = try featureMixLayer(try h.globalAveragePool())
        list.append(try classifier(try h.flattened(from: 1)))
        return list
    }

    /// The logits of the active subnet.
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try outputs(x).last! }

    /// The `count` outputs Harmonic-NAS feeds to the fusion network (SPEC-backbone §4.2), in
    /// ascending index order (e.g. AV-MNIST, count 4: d=2 → first_conv, block 0, two stage blocks).
    public func fusionFeatures(_ x: Tensor, count: Int) throws -> [Tensor] {
        let list = try outputs(x)
        return try Self.fusionFeatureIndices(outputCount: list.count, count: count).map { list[$0] }
    }

    /// Channels of the outputs `fusionFeatures` returns, computed from the architecture (no probe
    /// forward, so BN statistics are untouched — SPEC-backbone pitfall 12).
    public func fusionFeatureChannels(count: Int) throws -> [Int] {
        let channels = [space.stemWidth] + activeBlockIndices.map { blocks[$0].outChannels } + [space.classes]
        return try Self.fusionFeatureIndices(outputCount: channels.count, count: count).map { channels[$0] }
    }

    /// Harmonic-NAS's choice of `count` indices from an output list of length L: the last block
    /// output `L − 2` and every `(L − 1) / count`-th one before it, ascending.
    /// - Throws: `HNASError` when the list is too short for `count` distinct indices.
    public static func fusionFeatureIndices(outputCount L: Int, count n: Int) throws -> [Int] {
        guard n > 0, L >= 2, (L - 1) / n >= 1 else {
            throw HNASError.argument("feature count", why: "cannot choose \(n) features from \(L) outputs")
        }
        let offset = (L - 1) / n
        return (0..<n).map { L - 2 - ($0 * offset) }.reversed()
    }

    /// A static network of `config` (default: the active one) holding copies of its weights;
    /// its forward equals this network's forward with `config` active.
    public func extractSubnet(_ config: BackboneConfig? = nil) throws -> OFAMobileNetV3 {
        if let config { try activate(config) }
        guard isElastic else { return self }
        let indices = activeBlockIndices
        var g = SeededGenerator(seed: 0)
        let classifierCopy = OFALinearLayer(inFeatures: space.featureMixWidth, outFeatures: space.classes,
                                            dropout: classifier.dropout?.probability ?? 0, generator: &g)
        let subnet = OFAMobileNetV3(
            space: space, isElastic: false, firstConv: try Self.copy(firstConv), blocks: try indices.map { try blocks[$0].extracted() },
            stageBlocks: runtimeDepth.reduce(into: [[Int]]()) { groups, d in
                let start = (groups.last?.last ?? 0) + 1
                groups.append(Array(start..<start + d))
            },
            finalExpandLayer: try Self.copy(finalExpandLayer), featureMixLayer: try Self.copy(featureMixLayer),
            classifier: classifierCopy, config: activeConfig)
        Autograd.withoutGrad {
            classifierCopy.linear.weight.value = classifier.linear.weight.value
            classifierCopy.linear.bias?.value = classifier.linear.bias!.value
        }
        subnet.train(isTraining)
        return subnet
    }

    /// A fresh `OFAConvLayer` of the same shape holding copies of `layer`'s weights and statistics.
    private static func copy(_ layer: OFAConvLayer) throws -> OFAConvLayer {
        var g = SeededGenerator(seed: 0)
        let w = layer.conv.weight.shape
        let copy = OFAConvLayer(inChannels: w[1], outChannels: w[0], kernelSize: w[2], stride: layer.conv.stride,
                                useBN: layer.bn != nil, activation: layer.activation, generator: &g)
        try Autograd.withoutGrad {
            copy.conv.weight.value = layer.conv.weight.value
            if let source = layer.bn, let target = copy.bn { try source.copySlice(into: target) }
        }
        return copy
    }

    /// The number of trainable scalars (an extracted subnet's is its model size).
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.shape.reduce(1, *) } }
}

extension Activation {
    /// The engine activation of an OFA stage.
    init(_ stage: OFAStage.Activation) {
        switch stage {
        case .relu: self = .relu
        case .hswish: self = .hardSwish
        }
    }
}

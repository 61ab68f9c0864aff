import Foundation

/// The search space of one OFA MobileNetV3 elastic supernet as Harmonic-NAS builds it: widths,
/// strides, squeeze-excitation stages, the elastic kernel / expand / depth choices, and the layer
/// list of any subnet (SPEC-backbone §1, SPEC-hardware §1.4–1.5). No tensors: the weight-carrying
/// supernet is built on top of this description.
public struct OFASupernetSpace: Hashable, Sendable {
    /// Depthwise kernel sizes an elastic block may use (gene `ks`).
    public static let kernelChoices = [3, 5, 7]
    /// Expand ratios an elastic block may use (gene `e`).
    public static let expandChoices = [3, 4, 6]
    /// Active block counts a stage may use (gene `d`).
    public static let depthChoices = [2, 3, 4]
    /// Block slots per elastic stage (the maximum depth).
    public static let blocksPerStage = 4

    public let variant: OFAVariant
    public let widthMultiplier: Double
    /// Input channels (1 for MNIST images and MFCCs, 3 for RGB).
    public let inputChannels: Int
    /// Square input resolution.
    public let resolution: Int
    /// Output width of the stem convolution (3×3, stride 2).
    public let stemWidth: Int
    /// Output width of the fixed first block (expand 1, kernel 3, stride 1, no SE).
    public let firstBlockWidth: Int
    public let stages: [OFAStage]
    /// Output width of the final 1×1 expand convolution.
    public let finalExpandWidth: Int
    /// Output width of the feature-mix 1×1 convolution after global pooling.
    public let featureMixWidth: Int
    /// Classes the classifier is trained for.
    public let classes: Int
    /// Output count written in the classifier's table key. Equal to `classes` except for MM-IMDB,
    /// where the original swaps only the inner linear layer and the key keeps `out_ch:1000`
    /// (SPEC-backbone pitfall 10).
    public let classifierKeyOutputs: Int

    /// Builds the space exactly as the original's constructor does from the variant's lists.
    public init(variant: OFAVariant, widthMultiplier: Double, inputChannels: Int, resolution: Int,
                classes: Int, classifierKeyOutputs: Int? = nil) {
        precondition(inputChannels > 0 && resolution > 0 && classes > 0, "invalid supernet shape")
        let base = variant.baseStageWidths
        let widths = base.dropLast(2).map { Self.makeDivisible(Double($0) * widthMultiplier) }
        self.variant = variant
        self.widthMultiplier = widthMultiplier
        self.inputChannels = inputChannels
        self.resolution = resolution
        stemWidth = widths[0]
        firstBlockWidth = widths[1]
        let stageCount = [widths.count - 2, variant.strides.count - 1,
                          variant.activations.count - 1, variant.squeezeExcitation.count - 1].min()!
        stages = (0..<stageCount).map { s in
            OFAStage(width: widths[s + 2], stride: variant.strides[s + 1],
                     useSE: variant.squeezeExcitation[s + 1], activation: variant.activations[s + 1])
        }
        finalExpandWidth = Self.makeDivisible(Double(base[base.count - 2]) * widthMultiplier)
        featureMixWidth = Self.makeDivisible(Double(base[base.count - 1]) * widthMultiplier)
        self.classes = classes
        self.classifierKeyOutputs = classifierKeyOutputs ?? classes
    }

    /// AV-MNIST image backbone: 1×28×28, one stage (24, stride 2, no SE), 10 classes.
    public static let avmnistImage = OFASupernetSpace(variant: .avmnist, widthMultiplier: 1.0,
                                                      inputChannels: 1, resolution: 28, classes: 10)
    /// AV-MNIST audio backbone: the same network on 1×20×20 MFCCs.
    public static let avmnistAudio = OFASupernetSpace(variant: .avmnist, widthMultiplier: 1.0,
                                                      inputChannels: 1, resolution: 20, classes: 10)
    /// MM-IMDB image backbone: width 1.2, 3×224×224, five stages, 23 genres (table key: 1000 outputs).
    public static let mmimdbImage = OFASupernetSpace(variant: .orig, widthMultiplier: 1.2, inputChannels: 3,
                                                     resolution: 224, classes: 23, classifierKeyOutputs: 1000)
    /// Memes (Harm-P) image backbone: 3×112×112, three stages, 3 classes.
    public static let memesImage = OFASupernetSpace(variant: .imdb, widthMultiplier: 1.0,
                                                    inputChannels: 3, resolution: 112, classes: 3)

    /// Number of elastic block slots (`ks` and `e` gene lengths).
    public var blockSlots: Int { stages.count * Self.blocksPerStage }

    /// OFA's channel rounding: the nearest multiple of `divisor` (at least `minValue`, default
    /// `divisor`), bumped up one step when rounding lost more than 10%.
    public static func makeDivisible(_ value: Double, divisor: Int = 8, minValue: Int? = nil) -> Int {
        var result = max(minValue ?? divisor, Int(value + Double(divisor) / 2) / divisor * divisor)
        if Double(result) < 0.9 * value { result += divisor }
        return result
    }

    /// Hidden width of an elastic block with `inChannels` inputs and expand ratio `expand`.
    public static func midChannels(inChannels: Int, expand: Int) -> Int {
        makeDivisible(Double(inChannels * expand).rounded(.toNearestOrEven))
    }

    /// Spatial size after a "same"-padded convolution with `stride` (ceil of the division).
    public static func outputSize(_ size: Int, stride: Int) -> Int { (size + stride - 1) / stride }

    /// The layers of subnet (`ks`, `e`, `d`) in the order the original sums their costs: stem, the
    /// first block, the active blocks (stage `s` uses its first `d[s]` slots; slot `j` of the
    /// stage-major list takes `ks[j]`, `e[j]`), final expand, feature mix at 1×1, classifier.
    /// The genes must already be valid for this space (see `OFABackbone.validate`).
    public func layerDescriptors(ks: [Int], e: [Int], d: [Int]) -> [LayerDescriptor] {
        precondition(ks.count == blockSlots && e.count == blockSlots && d.count == stages.count,
                     "gene lengths do not match the supernet")
        var layers: [LayerDescriptor] = [
            .conv(inChannels: inputChannels, outChannels: stemWidth, resolution: resolution,
                  kernel: 3, stride: 2, useSE: false, useBN: true),
        ]
        var size = Self.outputSize(resolution, stride: 2)
        layers.append(.mbconv(inChannels: stemWidth, outChannels: firstBlockWidth, midChannels: 0, expand: 1,
                              resolution: size, kernel: 3, stride: 1, useSE: false))
        var channels = firstBlockWidth
        for (s, stage) in stages.enumerated() {
            for position in 0..<d[s] {
                let slot = s * Self.blocksPerStage + position
                let stride = position == 0 ? stage.stride : 1
                layers.append(.mbconv(inChannels: channels, outChannels: stage.width,
                                      midChannels: Self.midChannels(inChannels: channels, expand: e[slot]),
                                      expand: e[slot], resolution: size, kernel: ks[slot], stride: stride,
                                      useSE: stage.useSE))
                size = Self.outputSize(size, stride: stride)
                channels = stage.width
            }
        }
        layers.append(.conv(inChannels: channels, outChannels: finalExpandWidth, resolution: size,
                            kernel: 1, stride: 1, useSE: false, useBN: true))
        layers.append(.conv(inChannels: finalExpandWidth, outChannels: featureMixWidth, resolution: 1,
                            kernel: 1, stride: 1, useSE: false, useBN: false))
        layers.append(.linear(inFeatures: featureMixWidth, outFeatures: classifierKeyOutputs))
        return layers
    }
}

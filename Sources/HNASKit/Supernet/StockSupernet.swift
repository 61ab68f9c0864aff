import Foundation

/// Finding and loading the supernet of a stock (dataset, modality) pair for the CLI commands.
public enum StockSupernet {
    /// The largest classifier `space(…classes:)` builds (README "Input limits"): the classifier holds
    /// features × classes weights, allocated before any weights file is read.
    public static let maximumClasses = 100_000

    /// The space of `dataset`'s `modality` backbone, with the classifier resized to `classes` when given
    /// (custom datasets; the table key then uses `classes` too).
    /// - Throws: `HNASError` listing the stock pairs when there is no such backbone.
    public static func space(dataset: String, modality: String, classes: Int? = nil) throws -> OFASupernetSpace {
        guard let stock = StockBackbones.all.first(where: { $0.dataset == dataset && $0.modality == modality })?.backbone.space else {
            let pairs = StockBackbones.all.map { "\($0.dataset)/\($0.modality)" }.joined(separator: ", ")
            throw HNASError.argument("--dataset/--modality", why: "no OFA supernet for \(dataset)/\(modality) (available: \(pairs))")
        }
        guard let classes, classes != stock.classes else { return stock }
        guard (1...maximumClasses).contains(classes) else {
            throw HNASError.argument("--classes", why: "must be between 1 and \(maximumClasses), got \(classes)")
        }
        return OFASupernetSpace(variant: stock.variant, widthMultiplier: stock.widthMultiplier, inputChannels: stock.inputChannels,
                                resolution: stock.resolution, classes: classes)
    }

    /// The supernet of `dataset`/`modality` with the weights of `url` (safetensors, once-for-all names).
    /// Without `classes`, the classifier size is read from the file's `classifier.linear.weight`.
    /// Checkpoint-only entries (optimiser state, teacher) are ignored; every network tensor must be
    /// present with its exact shape. Weights whose metadata names another `dataset` or `modality`
    /// (what `hnas train-supernet` and the search record) are refused, even when the shapes fit.
    /// - Throws: `HNASError` naming the file and listing missing or mis-shaped tensors, or the mismatching tag.
    public static func load(dataset: String, modality: String, classes: Int? = nil, weights url: URL) throws -> OFAMobileNetV3 {
        let file = try SafeTensors.read(from: url)
        for (key, expected) in [("dataset", dataset), ("modality", modality)] {
            if let recorded = file.metadata[key], recorded != expected {
                throw HNASError.file(url.path, "wrong supernet weights", why: "they were trained for \(key) '\(recorded)', not '\(expected)'")
            }
        }
        let fileClasses = file.tensors["classifier.linear.weight"]?.shape.first
        let network = OFAMobileNetV3(space: try space(dataset: dataset, modality: modality, classes: classes ?? fileClasses))
        try network.load(stateDict: file, allowUnexpected: true, source: url.path)
        network.eval()
        return network
    }
}

extension OFAMobileNetV3 {
    /// Multiply-accumulate operations of one forward pass of the active subnet on a
    /// `space.resolution`² input (convolutions, SE and the classifier; what OFA reports as FLOPs).
    public var multiplyAccumulates: Int {
        var total = 0
        var size = space.resolution
        func conv(_ layer: OFAConvLayer, at input: Int) -> Int {
            let w = layer.conv.weight.shape
            let out = OFASupernetSpace.outputSize(input, stride: layer.conv.stride)
            return out * out * w[0] * w[1] * w[2] * w[3]
        }
        total += conv(firstConv, at: size)
        size = OFASupernetSpace.outputSize(size, stride: 2)
        for index in activeBlockIndices {
            let block = blocks[index]
            let mid = block.activeMidChannels, k = block.activeKernel
            let out = OFASupernetSpace.outputSize(size, stride: block.stride)
            if block.expandWeight != nil { total += size * size * block.inChannels * mid }
            total += out * out * mid * k * k
            if block.useSE { total += 2 * mid * OFAMBConvBlock.seChannels(mid: mid) }
            total += out * out * mid * block.outChannels
            size = out
        }
        total += conv(finalExpandLayer, at: size) + conv(featureMixLayer, at: 1)
        return total + classifier.linear.weight.shape.reduce(1, *)
    }
}

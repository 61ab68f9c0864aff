/// One inverted-residual block of an OFA MobileNetV3 (once-for-all's `ResidualBlock` around an
/// `MBConvLayer` or `DynamicMBConvLayer`): optional 1×1 expansion → BN → act, depthwise k×k →
/// BN → act, optional squeeze-and-excitation, 1×1 projection → BN, identity shortcut when the
/// stride is 1 and the widths match (SPEC-backbone §1.1).
///
/// The same class serves three roles, so supernet and subnet share one forward pass:
/// - an **elastic** supernet block (`isElastic`): weights stored at the largest kernel and expand
///   ratio; `activeKernel`/`activeExpand` select the first `mid` channels and the centre kernel
///   transformed by the learned matrices (`7to5_matrix`, `5to3_matrix`), so gradients reach the
///   shared weights and the matrices;
/// - a **static** block of an extracted subnet (one kernel, one expand ratio, no matrices);
/// - the fixed first block (expand ratio 1: no expansion layer).
///
/// State-dict names follow once-for-all: elastic blocks nest a plain conv/BN one level deeper
/// (`conv.inverted_bottleneck.conv.conv.weight`, `conv.depth_conv.bn.bn.running_mean`,
/// `conv.depth_conv.conv.7to5_matrix`), static ones do not (`conv.depth_conv.conv.weight`).
public final class OFAMBConvBlock: Module {
    public let inChannels: Int
    public let outChannels: Int
    public let stride: Int
    public let activation: Activation
    public let useSE: Bool
    /// Selectable depthwise kernel sizes, ascending; weights are stored at the last (largest).
    public let kernelSizes: [Int]
    /// Selectable expand ratios, ascending; weights are stored for the last (largest).
    public let expandRatios: [Int]
    public let hasShortcut: Bool
    public let isElastic: Bool
    public private(set) var activeKernel: Int
    public private(set) var activeExpand: Int
    public var isTraining = true
    public let children: [(String, Module)]

    let expandWeight: Parameter?
    let expandBN: BatchNorm?
    let depthWeight: Parameter
    /// Kernel transformation matrices from the largest size down, e.g. [(5, 7to5), (3, 5to3)].
    let kernelMatrices: [(size: Int, matrix: Parameter)]
    let depthBN: BatchNorm
    let se: SqueezeExcitation?
    let pointWeight: Parameter
    let pointBN: BatchNorm

    /// The SE module's 1×1 convolutions (with bias), stored at the block's largest width.
    struct SqueezeExcitation {
        let reduceWeight: Parameter, reduceBias: Parameter, expandWeight: Parameter, expandBias: Parameter
    }

    /// A block with freshly initialised weights (OFA's "he_fout" convolutions, BN 1/0, identity
    /// kernel matrices, zero SE biases). `isElastic` requires several kernel sizes or expand ratios
    /// to be meaningful but is allowed with one of each.
    public init(inChannels: Int, outChannels: Int, stride: Int, activation: Activation, useSE: Bool,
                kernelSizes: [Int], expandRatios: [Int], isElastic: Bool, generator: inout SeededGenerator) {
        precondition(!kernelSizes.isEmpty && !expandRatios.isEmpty, "a block needs a kernel size and an expand ratio")
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.stride = stride
        self.activation = activation
        self.useSE = useSE
        self.kernelSizes = kernelSizes.sorted()
        self.expandRatios = expandRatios.sorted()
        self.isElastic = isElastic
        hasShortcut = stride == 1 && inChannels == outChannels
        activeKernel = self.kernelSizes.last!
        activeExpand = self.expandRatios.last!
        let maxKernel = activeKernel
        let maxMid = Self.midChannels(inChannels: inChannels, expand: activeExpand)
        let hasExpansion = activeExpand != 1
        func conv(_ shape: [Int]) -> Parameter {
            Parameter(WeightInit.kaimingNormalFanOut(shape, generator: &generator), name: "weight")
        }
        expandWeight = hasExpansion ? conv([maxMid, inChannels, 1, 1]) : nil
        expandBN = hasExpansion ? BatchNorm(features: maxMid) : nil
        depthWeight = conv([maxMid, 1, maxKernel, maxKernel])
        kernelMatrices = zip(self.kernelSizes.dropFirst(), self.kernelSizes).reversed().map { larger, smaller in
            (smaller, Parameter(Self.identity(smaller * smaller), name: "\(larger)to\(smaller)_matrix"))
        }
        depthBN = BatchNorm(features: maxMid)
        if useSE {
            let maxSE = Self.seChannels(mid: maxMid)
            se = SqueezeExcitation(reduceWeight: conv([maxSE, maxMid, 1, 1]), reduceBias: Parameter(Tensor(zeros: [maxSE]), name: "bias"),
                                   expandWeight: conv([maxMid, maxSE, 1, 1]), expandBias: Parameter(Tensor(zeros: [maxMid]), name: "bias"))
        } else {
            se = nil
        }
        pointWeight = conv([outChannels, maxMid, 1, 1])
        pointBN = BatchNorm(features: outChannels)
        children = [("conv", Self.namingTree(isElastic: isElastic, expandWeight: expandWeight, expandBN: expandBN,
                                             depthWeight: depthWeight, kernelMatrices: kernelMatrices, depthBN: depthBN,
                                             se: se, pointWeight: pointWeight, pointBN: pointBN))]
    }

    /// Hidden width for expand ratio `expand`: `make_divisible(round(in·e), 8)`, or `in` for ratio 1.
    public static func midChannels(inChannels: Int, expand: Int) -> Int {
        expand == 1 ? inChannels : OFASupernetSpace.midChannels(inChannels: inChannels, expand: expand)
    }

    /// SE hidden width on an active middle width: `make_divisible(mid // 4, 8)`.
    public static func seChannels(mid: Int) -> Int { OFASupernetSpace.makeDivisible(Double(mid / 4)) }

    /// The hidden width of the active expand ratio.
    public var activeMidChannels: Int { Self.midChannels(inChannels: inChannels, expand: activeExpand) }

    /// Selects the kernel size and expand ratio used by the next forward passes.
    /// - Throws: `HNASError` when either is not one of the block's choices.
    public func activate(kernel: Int, expand: Int) throws {
        guard kernelSizes.contains(kernel) else {
            throw HNASError.argument("ks", why: "kernel \(kernel) is not in the allowed set \(kernelSizes)")
        }
        guard expandRatios.contains(expand) else {
            throw HNASError.argument("e", why: "expand ratio \(expand) is not in the allowed set \(expandRatios)")
        }
        activeKernel = kernel
        activeExpand = expand
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        guard x.rank == 4, x.shape[1] == inChannels else {
            throw HNASError.op("OFAMBConvBlock", why: "input \(x.shape) does not have \(inChannels) channels")
        }
        let mid = activeMidChannels
        let depthwise = try activeDepthwiseWeight()
        var h: Tensor
        if let fused = try expandedDepthwise(x, depthwise: depthwise) {
            h = fused
        } else {
            h = x
            if let expandWeight, let expandBN {
                let w = try Self.channels(expandWeight.value, out: mid, in: inChannels)
                h = try expandBN.after({ try Tensor.conv2d(x, weight: w, epilogue: $0) }, channels: mid, activation: activation)
            }
            let expanded = h
            h = try depthBN.after({ try Tensor.conv2d(expanded, weight: depthwise, stride: stride, padding: activeKernel / 2, groups: mid, epilogue: $0) },
                                  channels: mid, activation: activation)
        }
        var scale: Tensor?  // the squeeze-and-excitation's, applied by the projection pass or before the projection
        if let se {
            let reduced = Self.seChannels(mid: mid)
            var y = try h.mean(axes: [2, 3], keepDims: true)
            y = try Tensor.conv2d(y, weight: try Self.channels(se.reduceWeight.value, out: reduced, in: mid),
                                  bias: try Self.prefix(se.reduceBias.value, reduced)).relu()
            y = try Tensor.conv2d(y, weight: try Self.channels(se.expandWeight.value, out: mid, in: reduced),
                                  bias: try Self.prefix(se.expandBias.value, mid)).hardSigmoid()
            scale = y
        }
        if let projected = try projected(h, scale: scale, shortcut: x) { return projected }
        if let scale { h = try h * scale }
        let point = try Self.channels(pointWeight.value, out: outChannels, in: mid), excited = h
        h = try pointBN.after({ try Tensor.conv2d(excited, weight: point, epilogue: $0) }, channels: outChannels)
        return hasShortcut ? try h + x : h
    }

    /// In evaluation mode without gradients, the squeeze-and-excitation's `scale`, the projection with its
    /// batch norm and the shortcut as one pass (`Tensor.projection`), with the bits of the ops run one by one;
    /// nil where that pass does not apply.
    private func projected(_ h: Tensor, scale: Tensor?, shortcut x: Tensor) throws -> Tensor? {
        guard Tensor.projectionTakes(h.shape, outChannels: outChannels),
              let epilogue = try pointBN.inferenceEpilogue(channels: outChannels) else { return nil }
        return try Tensor.projection(h, weight: try Self.channels(pointWeight.value, out: outChannels, in: activeMidChannels),
                                     channelScale: scale, epilogue: epilogue, residual: hasShortcut ? x : nil)
    }

    /// The expansion and the depthwise convolution with their batch norms and activations as one inference
    /// pass that never holds the expanded tensor (`Tensor.expandDepthwise`, the same bits), or nil when the
    /// block has no expansion, is training or recording gradients, or the pass does not take the shapes.
    private func expandedDepthwise(_ x: Tensor, depthwise: Tensor) throws -> Tensor? {
        let mid = activeMidChannels
        guard let expandWeight, let expandBN,
              Tensor.expandDepthwiseTakes(x.shape, channels: mid, kernel: activeKernel, stride: stride, padding: activeKernel / 2),
              let expandEpilogue = try expandBN.inferenceEpilogue(channels: mid, activation: activation),
              let depthEpilogue = try depthBN.inferenceEpilogue(channels: mid, activation: activation) else { return nil }
        return try Tensor.expandDepthwise(x, expandWeight: try Self.channels(expandWeight.value, out: mid, in: inChannels),
                                          expandEpilogue: expandEpilogue, depthwiseWeight: depthwise, stride: stride,
                                          padding: activeKernel / 2, depthwiseEpilogue: depthEpilogue)
    }

    /// The active depthwise filter [mid, 1, k, k]: the first `mid` channels, centre-cropped and
    /// transformed 7→5→3 as far as the active kernel (SPEC-backbone §2.3).
    func activeDepthwiseWeight() throws -> Tensor {
        let w = try Self.channels(depthWeight.value, out: activeMidChannels, in: 1)
        guard activeKernel != depthWeight.shape[2] else { return w }
        return try ElasticWeight.kernel(w, kernel: activeKernel, steps: kernelMatrices.map { ($0.size, $0.matrix.value) })
    }

    /// A static block of the active kernel and expand ratio holding copies of the active weights
    /// (transformed kernel, first-N channel slices; BN statistics sliced, batch counter reset).
    public func extracted() throws -> OFAMBConvBlock {
        var unused = SeededGenerator(seed: 0)
        let block = OFAMBConvBlock(inChannels: inChannels, outChannels: outChannels, stride: stride, activation: activation,
                                   useSE: useSE, kernelSizes: [activeKernel], expandRatios: [activeExpand], isElastic: false,
                                   generator: &unused)
        let mid = activeMidChannels
        try Autograd.withoutGrad {
            if let source = expandWeight, let target = block.expandWeight, let sourceBN = expandBN, let targetBN = block.expandBN {
                target.value = try Self.channels(source.value, out: mid, in: inChannels)
                try sourceBN.copySlice(into: targetBN)
            }
            block.depthWeight.value = try activeDepthwiseWeight()
            try depthBN.copySlice(into: block.depthBN)
            if let source = se, let target = block.se {
                let reduced = Self.seChannels(mid: mid)
                target.reduceWeight.value = try Self.channels(source.reduceWeight.value, out: reduced, in: mid)
                target.reduceBias.value = try Self.prefix(source.reduceBias.value, reduced)
                target.expandWeight.value = try Self.channels(source.expandWeight.value, out: mid, in: reduced)
                target.expandBias.value = try Self.prefix(source.expandBias.value, mid)
            }
            block.pointWeight.value = try Self.channels(pointWeight.value, out: outChannels, in: mid)
            try pointBN.copySlice(into: block.pointBN)
        }
        return block
    }

    /// `weight[:out, :in]`, without a copy when that is the whole tensor.
    static func channels(_ weight: Tensor, out: Int, in inChannels: Int) throws -> Tensor {
        weight.shape[0] == out && weight.shape[1] == inChannels ? weight : try ElasticWeight.channels(weight, out: out, in: inChannels)
    }

    /// `vector[:count]`, without a copy when that is the whole vector.
    static func prefix(_ vector: Tensor, _ count: Int) throws -> Tensor {
        vector.shape[0] == count ? vector : try ElasticWeight.prefix(vector, count)
    }

    static func identity(_ n: Int) -> Tensor {
        var t = Tensor(zeros: [n, n])
        t.withUnsafeMutableBufferPointer { p in for i in 0..<n { p[i * n + i] = 1 } }
        return t
    }

    /// The module tree under `conv` giving once-for-all's state-dict names.
    private static func namingTree(isElastic nested: Bool, expandWeight: Parameter?, expandBN: BatchNorm?, depthWeight: Parameter,
                                   kernelMatrices: [(size: Int, matrix: Parameter)], depthBN: BatchNorm,
                                   se: SqueezeExcitation?, pointWeight: Parameter, pointBN: BatchNorm) -> Module {
        func conv(_ weight: Parameter) -> Module {
            OFAModuleNode.wrap(OFAModuleNode(parameters: [("weight", weight)]), as: "conv", nested: nested)
        }
        func bn(_ layer: BatchNorm) -> Module { OFAModuleNode.wrap(layer, as: "bn", nested: nested) }
        var parts: [(String, Module)] = []
        if let expandWeight, let expandBN {
            parts.append(("inverted_bottleneck", OFAModuleNode(children: [("conv", conv(expandWeight)), ("bn", bn(expandBN))])))
        }
        let depthConv: Module = nested
            ? OFAModuleNode(parameters: kernelMatrices.map { ($0.matrix.name, $0.matrix) },
                            children: [("conv", OFAModuleNode(parameters: [("weight", depthWeight)]))])
            : OFAModuleNode(parameters: [("weight", depthWeight)])
        var depth: [(String, Module)] = [("conv", depthConv), ("bn", bn(depthBN))]
        if let se {
            let fc = OFAModuleNode(children: [
                ("reduce", OFAModuleNode(parameters: [("weight", se.reduceWeight), ("bias", se.reduceBias)])),
                ("expand", OFAModuleNode(parameters: [("weight", se.expandWeight), ("bias", se.expandBias)])),
            ])
            depth.append(("se", OFAModuleNode(children: [("fc", fc)])))
        }
        parts.append(("depth_conv", OFAModuleNode(children: depth)))
        parts.append(("point_linear", OFAModuleNode(children: [("conv", conv(pointWeight)), ("bn", bn(pointBN))])))
        return OFAModuleNode(children: parts)
    }
}

extension BatchNorm {
    /// Copies the first `target.features` entries of the affine parameters and running statistics
    /// into `target` (the batch counter is not copied, as in once-for-all's subnet extraction).
    func copySlice(into target: BatchNorm) throws {
        let n = target.features
        target.weight.value = try OFAMBConvBlock.prefix(weight.value, n)
        target.bias.value = try OFAMBConvBlock.prefix(bias.value, n)
        target.runningMean.value = try OFAMBConvBlock.prefix(runningMean.value, n)
        target.runningVar.value = try OFAMBConvBlock.prefix(runningVar.value, n)
        target.eps = eps
    }
}

/// Geometry of a 2-D convolution with PyTorch semantics: input NCHW, weight
/// `[outC, inC/groups, kH, kW]`, output `[N, outC, outHeight, outWidth]`, dilation 1.
///
/// Kernels take a geometry plus raw pointers; the geometry is `Hashable` so callers can cache
/// per-shape decisions. Invalid geometries are programmer errors (the engine checks shapes and
/// throws `HNASError` before it reaches the kernels), so `ConvKernels` only `precondition`s `isValid`.
struct ConvGeometry: Hashable {
    var batch, inChannels, outChannels, inHeight, inWidth, kernelHeight, kernelWidth, strideH, strideW, padH, padW, groups: Int

    /// The usual square case: `kernel`×`kernel`, the same stride and padding on both axes.
    init(batch: Int, inChannels: Int, outChannels: Int, height: Int, width: Int,
         kernel: Int, stride: Int = 1, padding: Int = 0, groups: Int = 1) {
        self.init(batch: batch, inChannels: inChannels, outChannels: outChannels, inHeight: height, inWidth: width,
                  kernelHeight: kernel, kernelWidth: kernel, strideH: stride, strideW: stride,
                  padH: padding, padW: padding, groups: groups)
    }

    init(batch: Int, inChannels: Int, outChannels: Int, inHeight: Int, inWidth: Int,
         kernelHeight: Int, kernelWidth: Int, strideH: Int, strideW: Int, padH: Int, padW: Int, groups: Int) {
        self.batch = batch
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.inHeight = inHeight
        self.inWidth = inWidth
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.strideH = strideH
        self.strideW = strideW
        self.padH = padH
        self.padW = padW
        self.groups = groups
    }

    /// `(inHeight + 2·padH − kernelHeight) / strideH + 1`.
    var outHeight: Int { (inHeight + 2 * padH - kernelHeight) / strideH + 1 }
    /// `(inWidth + 2·padW − kernelWidth) / strideW + 1`.
    var outWidth: Int { (inWidth + 2 * padW - kernelWidth) / strideW + 1 }

    var inChannelsPerGroup: Int { inChannels / groups }
    var outChannelsPerGroup: Int { outChannels / groups }
    var inPlane: Int { inHeight * inWidth }
    var outPlane: Int { outHeight * outWidth }
    var kernelArea: Int { kernelHeight * kernelWidth }

    /// Elements of the input, output and weight tensors.
    var inputCount: Int { batch * inChannels * inPlane }
    var outputCount: Int { batch * outChannels * outPlane }
    var weightCount: Int { outChannels * inChannelsPerGroup * kernelArea }

    /// Multiply-adds of one forward pass (each backward costs the same).
    var multiplyAdds: Int { batch * outChannels * outPlane * inChannelsPerGroup * kernelArea }

    /// One filter per channel: `groups == inChannels == outChannels`.
    var isDepthwise: Bool { groups == inChannels && groups == outChannels && groups > 1 }

    /// A 1×1, stride-1, unpadded convolution: a GEMM per sample and group, no im2col needed.
    var isPointwise: Bool {
        kernelHeight == 1 && kernelWidth == 1 && strideH == 1 && strideW == 1 && padH == 0 && padW == 0
    }

    /// Whether every size is positive, channels divide into groups, padding is less than the
    /// kernel (as PyTorch requires for sensible output) and the output is non-empty.
    var isValid: Bool {
        batch > 0 && inChannels > 0 && outChannels > 0 && inHeight > 0 && inWidth > 0
            && kernelHeight > 0 && kernelWidth > 0 && strideH > 0 && strideW > 0
            && padH >= 0 && padW >= 0 && groups > 0
            && inChannels % groups == 0 && outChannels % groups == 0
            && inHeight + 2 * padH >= kernelHeight && inWidth + 2 * padW >= kernelWidth
    }
}

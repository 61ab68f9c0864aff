import CKernels

/// What a 1×1 convolution applies to each output plane on its way out of the product, so that an
/// evaluation-mode batch norm, the activation after it and a gated linear unit cost no pass of their own
/// over memory (`Tensor.pointwiseConv(_:weight:bias:epilogue:)`): per output channel c,
/// `z = activation(scale[c]·y + shift[c])` on the convolution's output y (bias included), and with
/// `gated` the GLU along channels, `out[c] = z[c]·σ(z[c + O/2])` for c < O/2.
///
/// Every element goes through the same operations, in the same order and with the same kernels, as the
/// separate ops (`batchNormInference` with its fused activation, then `glu(axis: 1)`), so the fused
/// result has the same bits. For inference only: it is not differentiable.
public struct ChannelEpilogue {
    /// Per output channel: the evaluation-mode batch norm's `weight/√(var + eps)` and
    /// `bias − mean·scale`.
    let scale: [Float]
    let shift: [Float]
    let activation: FusedActivation?
    /// Whether the GLU along channels follows (the output then has half the channels).
    let gated: Bool

    /// The epilogue of an evaluation-mode batch norm with these statistics and affine parameters
    /// (one element per channel each) followed by `activation` and, with `gated`, the GLU along
    /// channels.
    /// - Throws: `HNASError` when the four do not have one element per channel each, when the
    ///   activation is not one batch norm fuses (piecewise-linear ones and Mish), or for a GLU after an
    ///   activation or over an odd channel count.
    public init(mean: Tensor, variance: Tensor, weight: Tensor, bias: Tensor, eps: Float,
                activation: Activation = .identity, gated: Bool = false) throws {
        let channels = mean.count
        guard variance.count == channels, weight.count == channels, bias.count == channels else {
            throw HNASError.op("ChannelEpilogue", why: "mean \(mean.shape), variance \(variance.shape), weight \(weight.shape) and bias \(bias.shape) differ in channels")
        }
        guard FusedActivation.fuses(activation) else {
            throw HNASError.op("ChannelEpilogue", why: "activation \(activation) does not fuse with batch norm")
        }
        guard !gated || (activation == .identity && channels % 2 == 0) else {
            throw HNASError.op("ChannelEpilogue", why: "a GLU needs an even channel count (\(channels)) and no activation before it")
        }
        (scale, shift) = Tensor.batchNormAffine(mean: mean.scalars, invStd: Tensor.inverseStandardDeviations(variance.scalars, eps: eps),
                                                weight: weight.scalars, bias: bias.scalars)
        self.activation = FusedActivation(activation)
        self.gated = gated
    }

    /// Output channels for `channels` channels of the product.
    func outputChannels(_ channels: Int) -> Int { gated ? channels / 2 : channels }

    /// Applies the (ungated) epilogue in place to the consecutive planes of `channels`, `plane` elements
    /// each, starting at `planes`: a convolution's output planes right after they are computed.
    @inline(__always)
    func applyInPlace(channels: Range<Int>, plane: Int, to planes: UnsafeMutablePointer<Float>) {
        precondition(!gated, "a gated epilogue changes the channel count; it runs through apply(channels:plane:to:gate:planeOf:)")
        normalize(channels, offset: 0, plane: plane, into: planes) { _, _ in }
        activation?.forward(planes, planes, count: channels.count * plane)
    }

    /// Applies the (ungated) epilogue in place to `count` elements of channel `channel` at `values`: a run
    /// of a convolution's output plane right after it is computed. Each element gets the operations of
    /// `applyInPlace(channels:plane:to:)`, so the bits are the same.
    @inline(__always)
    func applyInPlace(channel: Int, count: Int, to values: UnsafeMutablePointer<Float>) {
        precondition(!gated, "a gated epilogue changes the channel count; it runs through apply(channels:plane:to:gate:planeOf:)")
        Vector.scaleShift(values, scale[channel], shift[channel], values, count: count)
        activation?.forward(values, values, count: count)
    }

    /// Writes the output planes of `channels` (channels of the epilogue's output) to the contiguous run
    /// `out`, from the product's planes: `planeOf(k, buffer)` writes channel k's plane of `plane` elements,
    /// the convolution's bias already added, into `buffer`. `gate` is scratch for as many planes as `channels`.
    @inline(__always)
    func apply(channels: Range<Int>, plane: Int, to out: UnsafeMutablePointer<Float>, gate: UnsafeMutablePointer<Float>,
               planeOf: (Int, UnsafeMutablePointer<Float>) -> Void) {
        let count = channels.count * plane
        normalize(channels, offset: 0, plane: plane, into: out, planeOf: planeOf)
        activation?.forward(out, out, count: count)
        guard gated else { return }
        normalize(channels, offset: scale.count / 2, plane: plane, into: gate, planeOf: planeOf)
        hnas_ck_sigmoid(gate, gate, count)
        Vector.zip(out, gate, out, count: count, *, *)
    }

    /// The batch-normalised planes of channels `channels + offset`, one after another in `buffer`:
    /// `planeOf(k, plane)` first writes channel k's plane there (a no-op where it already is).
    @inline(__always)
    private func normalize(_ channels: Range<Int>, offset: Int, plane: Int, into buffer: UnsafeMutablePointer<Float>,
                           planeOf: (Int, UnsafeMutablePointer<Float>) -> Void) {
        for (i, c) in channels.enumerated() {
            let to = buffer + i * plane, k = c + offset
            planeOf(k, to)
            Vector.scaleShift(to, scale[k], shift[k], to, count: plane)
        }
    }
}

extension ChannelEpilogue {
    /// The `finish` hook of a convolution's product (rows: output channels from `firstChannel` on, columns:
    /// positions; written at `output` in rows of `rowLength`): `bias` added, then `epilogue` applied, on each
    /// block as the product completes it. Nil when there is neither.
    static func blockFinish(bias: UnsafePointer<Float>?, epilogue: ChannelEpilogue?, firstChannel: Int,
                            output: UnsafeMutablePointer<Float>, rowLength: Int) -> ((_ rows: Range<Int>, _ columns: Range<Int>) -> Void)? {
        guard bias != nil || epilogue != nil else { return nil }
        return { rows, columns in
            for row in rows {
                let channel = firstChannel + row, values = output + row * rowLength + columns.lowerBound
                if let bias { for i in 0..<columns.count { values[i] += bias[channel] } }
                epilogue?.applyInPlace(channel: channel, count: columns.count, to: values)
            }
        }
    }

    /// The C kernels' code for the activation of `epilogue` (identity without one), or nil when the kernels
    /// cannot apply the epilogue: gated, or with Mish.
    static func kernelActivation(_ epilogue: ChannelEpilogue?) -> hnas_ck_activation? {
        guard let epilogue else { return HNAS_CK_IDENTITY }
        guard !epilogue.gated else { return nil }
        switch epilogue.activation {
        case nil: return HNAS_CK_IDENTITY
        case .piecewise(.relu): return HNAS_CK_RELU
        case .piecewise(.relu6): return HNAS_CK_RELU6
        case .piecewise(.hardSwish): return HNAS_CK_HARD_SWISH
        case .piecewise(.hardSigmoid): return HNAS_CK_HARD_SIGMOID
        case .mish: return nil
        }
    }

    /// Calls `body` with the C kernels' form of `bias` and `epilogue` (whose activation is `activation`, from
    /// `kernelActivation`), valid inside `body` only.
    static func withKernelForm<R>(bias: UnsafePointer<Float>?, epilogue: ChannelEpilogue?, activation: hnas_ck_activation,
                                  _ body: (KernelForm) -> R) -> R {
        let scale = epilogue?.scale ?? [], shift = epilogue?.shift ?? []
        return scale.withUnsafeBufferPointer { scale in
            shift.withUnsafeBufferPointer { shift in
                // (An empty array's base address need not be nil: whether there is an affine map is the epilogue's.)
                body(KernelForm(bias: bias, scale: epilogue == nil ? nil : scale.baseAddress,
                                shift: epilogue == nil ? nil : shift.baseAddress, activation: activation))
            }
        }
    }

    /// A bias and an epilogue as pointers to their per-channel arrays (null where there is none).
    struct KernelForm {
        let bias, scale, shift: UnsafePointer<Float>?
        let activation: hnas_ck_activation

        /// The `hnas_ck_epilogue` of the output channels from `channel` on: the arrays advanced by `channel`.
        func from(channel: Int) -> hnas_ck_epilogue {
            hnas_ck_epilogue(bias: bias.map { $0 + channel }, scale: scale.map { $0 + channel }, shift: shift.map { $0 + channel },
                             activation: activation)
        }
    }
}

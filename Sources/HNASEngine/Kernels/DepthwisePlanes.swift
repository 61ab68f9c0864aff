import CKernels

/// The forward pass of a depthwise convolution one channel plane at a time (`DepthwiseConv`'s row loops):
/// the plane copied zero-padded into this thread's scratch (`PaddedPlane`) and correlated with its filter
/// by the C block loop, which stores the output plane through the epilogue. Shared by `DepthwiseConv.forward`,
/// which takes the planes of a tensor, and `ExpandDepthwise`, which takes them from the expansion it has just
/// computed; each plane's bits are the same either way.
struct DepthwisePlanes {
    let geometry: ConvGeometry
    private let source, result: PaddedPlane
    private let taps, columns: [Int]

    init(_ g: ConvGeometry) {
        geometry = g
        source = PaddedPlane.forInput(g)
        result = PaddedPlane.result(height: g.outHeight, width: g.outWidth)
        taps = SIMDCorrelation.tapOffsets(kernelHeight: g.kernelHeight, kernelWidth: g.kernelWidth, plane: source)
        columns = SIMDCorrelation.columnOffsets(kernelWidth: g.kernelWidth, plane: source)
    }

    /// Calls `body` with a function that convolves one input plane (`inHeight × inWidth` floats) of channel
    /// `c` into one output plane (`outHeight × outWidth`), then applies `epilogue`'s channel c to it. The
    /// function uses this thread's scratch, so it must not leave `body` or be called from another thread.
    ///
    /// The C kernel stores each output vector straight into the output plane through the epilogue
    /// (`hnas_ck_depthwise_plane`), so the plane is not copied out of a padded block and then read again for
    /// the epilogue (together 7 % of a batch-1 MobileNetV3 inference); an epilogue the kernel cannot apply
    /// (Mish) runs after the crop, as do shapes the kernel does not take.
    func withConvolution(weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?, epilogue: ChannelEpilogue?,
                         _ body: (_ convolve: (_ input: UnsafePointer<Float>, _ c: Int, _ output: UnsafeMutablePointer<Float>) -> Void) -> Void) {
        let g = geometry, source = source, result = result
        let context = ThreadContext.current
        let padded = source.prepare(in: context, slot: ScratchSlot.paddedInput)
        let out = context.scratch(ScratchSlot.paddedOutput, count: result.count)
        let sourceRows = source.top..<(source.top + g.inHeight)
        let blockRows = SIMDCorrelation.blockRows(for: result.rows)
        // The kernel's form of the epilogue (or of none: no affine map, identity), when it can apply it.
        let activation = ChannelEpilogue.kernelActivation(epilogue)
        ChannelEpilogue.withKernelForm(bias: nil, epilogue: epilogue, activation: activation ?? HNAS_CK_IDENTITY) { form in
            taps.withUnsafeBufferPointer { taps in
                columns.withUnsafeBufferPointer { columns in
                    body { input, c, output in
                        source.fill(padded, from: input)
                        let weights = weight + c * g.kernelArea, initial = bias?[c] ?? 0
                        if activation != nil {
                            var e = form.from(channel: c)
                            if hnas_ck_depthwise_plane(padded, source.rowLength, g.strideH, columns.baseAddress!, weights, g.kernelHeight,
                                                       g.kernelWidth, initial, &e, output, g.outHeight, g.outWidth, result.rows, blockRows,
                                                       sourceRows.lowerBound, sourceRows.upperBound) == 1 {
                                return
                            }
                        }
                        SIMDCorrelation.correlateGrid(source: padded, sourceRowLength: source.rowLength, rowStride: g.strideH,
                                                      columnOffsets: columns.baseAddress!, taps: taps.baseAddress!,
                                                      weights: weights, kernelHeight: g.kernelHeight,
                                                      kernelWidth: g.kernelWidth, initial: initial, output: out,
                                                      rows: result.rows, rowLength: result.rowLength, sourceRows: sourceRows)
                        result.crop(out, into: output)
                        epilogue?.applyInPlace(channels: c..<(c + 1), plane: g.outPlane, to: output)
                    }
                }
            }
        }
    }
}

/// The forward pass of a depthwise convolution one channel plane at a time (`DepthwiseConv`'s row loops):
/// the plane copied zero-padded into this thread's scratch (`PaddedPlane`), correlated with its filter
/// by `SIMDCorrelation`, the result cropped into the output plane and the epilogue applied while it is in
/// cache. Shared by `DepthwiseConv.forward`, which takes the planes of a tensor, and `ExpandDepthwise`,
/// which takes them from the expansion it has just computed; each plane's bits are the same either way.
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
    func withConvolution(weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?, epilogue: ChannelEpilogue?,
                         _ body: (_ convolve: (_ input: UnsafePointer<Float>, _ c: Int, _ output: UnsafeMutablePointer<Float>) -> Void) -> Void) {
        let g = geometry, source = source, result = result
        let context = ThreadContext.current
        let padded = source.prepare(context.scratch(ScratchSlot.paddedInput, count: source.count))
        let out = context.scratch(ScratchSlot.paddedOutput, count: result.count)
        let sourceRows = source.top..<(source.top + g.inHeight)
        taps.withUnsafeBufferPointer { taps in
            columns.withUnsafeBufferPointer { columns in
                body { input, c, output in
                    source.fill(padded, from: input)
                    SIMDCorrelation.correlateGrid(source: padded, sourceRowLength: source.rowLength, rowStride: g.strideH,
                                                  columnOffsets: columns.baseAddress!, taps: taps.baseAddress!,
                                                  weights: weight + c * g.kernelArea, kernelHeight: g.kernelHeight,
                                                  kernelWidth: g.kernelWidth, initial: bias?[c] ?? 0, output: out,
                                                  rows: result.rows, rowLength: result.rowLength, sourceRows: sourceRows)
                    result.crop(out, into: output)
                    epilogue?.applyInPlace(channels: c..<(c + 1), plane: g.outPlane, to: output)
                }
            }
        }
    }
}

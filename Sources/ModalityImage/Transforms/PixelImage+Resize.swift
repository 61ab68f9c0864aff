extension PixelImage {
    /// PIL's `Image.resize((width, height), filter)` on this 8-bit image, with antialiasing when
    /// downscaling. Results equal Pillow 13's sample for sample.
    ///
    /// Like PIL it resamples one axis, rounds that intermediate image to 8 bits, then resamples the
    /// other axis (a pass is skipped when its size is unchanged). The order matters for the
    /// rounding: Pillow 13 runs the vertical pass first when the height shrinks by more than
    /// twice as many pixels as the width does, and the horizontal pass first otherwise.
    /// - Precondition: `width` and `height` are positive.
    public func resized(width newWidth: Int, height newHeight: Int, filter: ResampleFilter) -> PixelImage {
        precondition(newWidth > 0 && newHeight > 0, "resize target must be positive")
        let heightLoss = height - newHeight
        let verticalFirst = heightLoss > 0 && heightLoss > 2 * (width - newWidth)
        var image = self
        if verticalFirst, newHeight != height {
            image = image.resampledVertically(to: newHeight, filter: filter)
        }
        if newWidth != width {
            image = image.resampledHorizontally(to: newWidth, filter: filter)
        }
        if !verticalFirst, newHeight != height {
            image = image.resampledVertically(to: newHeight, filter: filter)
        }
        return image
    }

    /// torchvision's `Resize(size)` with an int size: the shorter side becomes `size`, the longer
    /// one ⌊size · long / short⌋ (truncated, as torchvision computes it).
    public func resized(shorterSide size: Int, filter: ResampleFilter) -> PixelImage {
        precondition(size > 0, "resize target must be positive")
        if width <= height {
            return resized(width: size, height: Int(Double(size) * Double(height) / Double(width)), filter: filter)
        }
        return resized(width: Int(Double(size) * Double(width) / Double(height)), height: size, filter: filter)
    }

    private func resampledHorizontally(to newWidth: Int, filter: ResampleFilter) -> PixelImage {
        let plan = ResampleCoefficients(inputSize: width, outputSize: newWidth, filter: filter)
        let c = channels, taps = plan.taps, half = ResampleCoefficients.half
        var out = [UInt8](repeating: 0, count: newWidth * height * c)
        samples.withUnsafeBufferPointer { src in
            plan.weights.withUnsafeBufferPointer { weights in
                plan.first.withUnsafeBufferPointer { first in
                    plan.count.withUnsafeBufferPointer { count in
                        out.withUnsafeMutableBufferPointer { dst in
                            for y in 0..<height {
                                let row = y * width * c
                                let outRow = y * newWidth * c
                                for x in 0..<newWidth {
                                    var w = weights.baseAddress! + x &* taps
                                    var p = src.baseAddress! + (row &+ first[x] &* c)
                                    let n = count[x]
                                    let o = outRow &+ x &* c
                                    if c == 3 {
                                        var r = half, g = half, b = half
                                        for _ in 0..<n {
                                            let wk = w.pointee
                                            r &+= Int32(p[0]) &* wk
                                            g &+= Int32(p[1]) &* wk
                                            b &+= Int32(p[2]) &* wk
                                            p += 3
                                            w += 1
                                        }
                                        dst[o] = ResampleCoefficients.clip(r)
                                        dst[o &+ 1] = ResampleCoefficients.clip(g)
                                        dst[o &+ 2] = ResampleCoefficients.clip(b)
                                    } else {
                                        var v = half
                                        for _ in 0..<n {
                                            v &+= Int32(p.pointee) &* w.pointee
                                            p += 1
                                            w += 1
                                        }
                                        dst[o] = ResampleCoefficients.clip(v)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return PixelImage(unchecked: newWidth, height, colorModel, out)
    }

    private func resampledVertically(to newHeight: Int, filter: ResampleFilter) -> PixelImage {
        let plan = ResampleCoefficients(inputSize: height, outputSize: newHeight, filter: filter)
        let rowLength = width * channels
        var out = [UInt8](repeating: 0, count: newHeight * rowLength)
        var sums = [Int32](repeating: 0, count: rowLength)
        samples.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                sums.withUnsafeMutableBufferPointer { acc in
                    let half = ResampleCoefficients.half
                    for y in 0..<newHeight {
                        for i in 0..<rowLength { acc[i] = half }
                        for k in 0..<plan.count[y] {
                            let w = plan.weights[y * plan.taps + k]
                            let row = src.baseAddress! + (plan.first[y] + k) * rowLength
                            for i in 0..<rowLength {
                                acc[i] &+= Int32(row[i]) &* w
                            }
                        }
                        let outRow = y * rowLength
                        for i in 0..<rowLength { dst[outRow + i] = ResampleCoefficients.clip(acc[i]) }
                    }
                }
            }
        }
        return PixelImage(unchecked: width, newHeight, colorModel, out)
    }
}

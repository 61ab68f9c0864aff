@testable import HNASEngine

/// An independent, deliberately naive convolution in Double: the definition, loop by loop, and its
/// analytic adjoints (scatter form). The kernels under test are checked against it.
enum ConvReference {
    static func forward(_ g: ConvGeometry, _ x: [Float], _ w: [Float], _ b: [Float]?) -> [Double] {
        var y = [Double](repeating: 0, count: g.outputCount)
        visit(g) { yi, xi, wi, oc in
            if yi == nil { return }
            y[yi!] += Double(x[xi]) * Double(w[wi])
        } bias: { yi, oc in
            if let b { y[yi] += Double(b[oc]) }
        }
        return y
    }

    /// ∂⟨dy, conv(x)⟩/∂x.
    static func gradInput(_ g: ConvGeometry, _ dy: [Float], _ w: [Float]) -> [Double] {
        var dx = [Double](repeating: 0, count: g.inputCount)
        visit(g) { yi, xi, wi, _ in dx[xi] += Double(dy[yi!]) * Double(w[wi]) } bias: { _, _ in }
        return dx
    }

    /// ∂⟨dy, conv(x)⟩/∂w and ∂/∂bias.
    static func gradWeight(_ g: ConvGeometry, _ x: [Float], _ dy: [Float]) -> (weight: [Double], bias: [Double]) {
        var dw = [Double](repeating: 0, count: g.weightCount)
        var db = [Double](repeating: 0, count: g.outChannels)
        visit(g) { yi, xi, wi, _ in dw[wi] += Double(dy[yi!]) * Double(x[xi]) } bias: { yi, oc in db[oc] += Double(dy[yi]) }
        return (dw, db)
    }

    /// Calls `tap(outputIndex, inputIndex, weightIndex, outChannel)` for every in-bounds product of
    /// the convolution and `bias(outputIndex, outChannel)` once per output element.
    private static func visit(_ g: ConvGeometry, tap: (Int?, Int, Int, Int) -> Void, bias: (Int, Int) -> Void) {
        let cg = g.inChannels / g.groups, mg = g.outChannels / g.groups
        for n in 0..<g.batch {
            for oc in 0..<g.outChannels {
                let group = oc / mg
                for oy in 0..<g.outHeight {
                    for ox in 0..<g.outWidth {
                        let yi = ((n * g.outChannels + oc) * g.outHeight + oy) * g.outWidth + ox
                        bias(yi, oc)
                        for ci in 0..<cg {
                            let c = group * cg + ci
                            for ky in 0..<g.kernelHeight {
                                let iy = oy * g.strideH - g.padH + ky
                                if iy < 0 || iy >= g.inHeight { continue }
                                for kx in 0..<g.kernelWidth {
                                    let ix = ox * g.strideW - g.padW + kx
                                    if ix < 0 || ix >= g.inWidth { continue }
                                    let xi = ((n * g.inChannels + c) * g.inHeight + iy) * g.inWidth + ix
                                    let wi = ((oc * cg + ci) * g.kernelHeight + ky) * g.kernelWidth + kx
                                    tap(yi, xi, wi, oc)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

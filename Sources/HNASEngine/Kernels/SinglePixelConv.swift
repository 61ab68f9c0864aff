/// 1×1 convolutions on 1×1 images (squeeze-and-excitation and feature-mix layers after global
/// pooling): an `[N, C, 1, 1]` tensor is already the row-major matrix `[N × C]`, so each pass is
/// one GEMM over the whole batch instead of N tiny ones. `Gemm.sgemm` splits it over the workers.
enum SinglePixelConv {
    static func supports(_ g: ConvGeometry) -> Bool {
        g.isPointwise && g.groups == 1 && g.inHeight == 1 && g.inWidth == 1
    }

    /// `Y[N × outC] = X[N × inC] · Wᵀ (+ bias)`.
    static func forward(_ g: ConvGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                        bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>) {
        Gemm.sgemm(transA: false, transB: true, m: g.batch, n: g.outChannels, k: g.inChannels, alpha: 1,
                   a: input, lda: g.inChannels, b: weight, ldb: g.inChannels, beta: 0, c: output, ldc: g.outChannels)
        if let bias {
            for n in 0..<g.batch {
                let row = output + n * g.outChannels
                for oc in 0..<g.outChannels { row[oc] += bias[oc] }
            }
        }
    }

    /// `dX[N × inC] = dY[N × outC] · W`.
    static func backwardInput(_ g: ConvGeometry, gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                              gradInput: UnsafeMutablePointer<Float>) {
        Gemm.sgemm(transA: false, transB: false, m: g.batch, n: g.inChannels, k: g.outChannels, alpha: 1,
                   a: gradOutput, lda: g.outChannels, b: weight, ldb: g.inChannels, beta: 0, c: gradInput, ldc: g.inChannels)
    }

    /// `dW[outC × inC] = dYᵀ · X`.
    static func backwardWeight(_ g: ConvGeometry, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                               gradWeight: UnsafeMutablePointer<Float>) {
        Gemm.sgemm(transA: true, transB: false, m: g.outChannels, n: g.inChannels, k: g.batch, alpha: 1,
                   a: gradOutput, lda: g.outChannels, b: input, ldb: g.inChannels, beta: 0, c: gradWeight, ldc: g.inChannels)
    }
}

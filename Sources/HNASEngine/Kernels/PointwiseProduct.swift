import CKernels

/// `C = A·B` for one sample through a 1×1 convolution's forward pass (A: the m×k weights, B: the k input
/// planes of n positions, C: the m output planes; rows contiguous) by the C kernel
/// `hnas_ck_pointwise_product`, which reads both operands in place. OpenBLAS packs both and clears C
/// before adding into it (β = 0); at batch 1 those passes cost about as much as its multiply-adds.
///
/// The columns are cut into runs of 16 (the last run takes the remainder, so every run has at least 16
/// columns, the kernel's smallest width) and the runs into parts over the workers (`Gemm.parts`). The
/// kernel applies `epilogue` (bias, evaluation-mode batch norm, piecewise-linear activation) in registers
/// before its store; an epilogue it cannot apply goes to `finish(rows, columns)` instead, called on blocks
/// of about `blockElements` outputs right after each is computed, while in cache. Every element is the same
/// chain of fused multiply-adds whatever the cut, so the bits depend neither on the thread count nor on the
/// instruction-set path.
enum PointwiseProduct {
    /// Whether the kernel takes a product of n columns and depth k: planes of at least 64 positions (on 7×7
    /// planes its whole vectors computed 64 columns for 49, and OpenBLAS was faster: memes 240→80 0.49 vs
    /// 0.59 ms at batch 32) and at least 24 input channels (at 16, OpenBLAS's clearing of the output first
    /// made its stores cheaper: memes 16→96 on 56×56 4.6 vs 6.8 ms at batch 32).
    static func supports(columns n: Int, depth k: Int) -> Bool { n >= 64 && k >= 24 }

    /// Writes `c` (m×n, overwritten) = `a` (m×k) · `b` (k×n) with `epilogue` applied to each row, then
    /// `finish` on each block of it; parts run over the workers when `splitting`, one after another on
    /// this thread otherwise.
    static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                         splitting: Bool, epilogue: UnsafePointer<hnas_ck_epilogue>? = nil,
                         finish: ((_ rows: Range<Int>, _ columns: Range<Int>) -> Void)? = nil) {
        precondition(n >= run && m > 0 && k > 0, "pointwise product \(m)×\(n)×\(k) below the kernel's 16 columns")
        let runs = n / run
        let parts = splitting ? min(Gemm.parts(m: m, n: n, k: k), runs) : 1
        let blockRuns = finish == nil ? runs : max(4, blockElements / (m * run))
        func part(_ index: Int) {
            let mine = Parallel.split(runs, into: parts, part: index)
            var start = mine.lowerBound
            while start < mine.upperBound {
                let end = mine.upperBound - start < 2 * blockRuns ? mine.upperBound : start + blockRuns
                let columns = (start * run)..<(end == runs ? n : end * run)
                let done = hnas_ck_pointwise_product(a, k, b + columns.lowerBound, n, c + columns.lowerBound, n, m, columns.count, k,
                                                     epilogue)
                precondition(done == 1, "hnas_ck_pointwise_product refused \(m)×\(columns.count)×\(k)")
                finish?(0..<m, columns)
                start = end
            }
        }
        if parts > 1 { Parallel.forEach(parts, part) } else { part(0) }
    }

    /// `multiply` with the convolution's `bias` and `epilogue` (output channels from `firstChannel` on) applied
    /// by the kernel when it can (no gate, no activation or a piecewise-linear one), by `finish` otherwise.
    static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                         splitting: Bool, bias: UnsafePointer<Float>?, epilogue: ChannelEpilogue?, firstChannel: Int,
                         finish: ((_ rows: Range<Int>, _ columns: Range<Int>) -> Void)?) {
        guard let activation = kernelActivation(epilogue) else {
            return multiply(m: m, n: n, k: k, a: a, b: b, c: c, splitting: splitting, finish: finish)
        }
        guard bias != nil || epilogue != nil else {
            return multiply(m: m, n: n, k: k, a: a, b: b, c: c, splitting: splitting)
        }
        let scale = epilogue?.scale ?? [], shift = epilogue?.shift ?? []
        scale.withUnsafeBufferPointer { scale in
            shift.withUnsafeBufferPointer { shift in
                // (An empty array's base address need not be nil: whether there is an affine map is the epilogue's.)
                var e = hnas_ck_epilogue(bias: bias.map { $0 + firstChannel },
                                         scale: epilogue == nil ? nil : scale.baseAddress! + firstChannel,
                                         shift: epilogue == nil ? nil : shift.baseAddress! + firstChannel, activation: activation)
                multiply(m: m, n: n, k: k, a: a, b: b, c: c, splitting: splitting, epilogue: &e)
            }
        }
    }

    /// The kernel's code for the activation of `epilogue` (identity without one), or nil when the kernel
    /// cannot apply the epilogue: gated, or with Mish.
    private static func kernelActivation(_ epilogue: ChannelEpilogue?) -> hnas_ck_activation? {
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

    /// Columns per run: the cut's unit and the kernel's smallest width.
    private static let run = 16

    /// Outputs per block handed to `finish` (256 KB: it and the input panel stay within a core's L2).
    private static let blockElements = 1 << 16
}

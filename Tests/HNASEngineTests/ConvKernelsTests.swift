import HNASTestSupport
import XCTest
@testable import HNASEngine

final class ConvKernelsTests: XCTestCase {
    override func tearDown() {
        Parallel.threads = ProcessInfo.processInfo.activeProcessorCount
        super.tearDown()
    }

    /// Geometries covering every kernel path: plain, strided, padded, grouped, depthwise k 3/5/7
    /// stride 1/2, 1×1 (pointwise, strided, on 1×1 images), non-square kernels and inputs, batch > 1.
    static let geometries: [ConvGeometry] = [
        // k×k convolutions whose im2col columns go through the 1×1 path's C kernel (`PointwiseProduct`: at least 24
        // rows, 64 positions): a MobileNet stem (3 channels, 3×3, stride 2) on an odd plane of 110 positions, and
        // two groups of 3 × 3×3 rows each on 13×13, with 7 and 5 output channels (not multiples of the 6-row tile).
        ConvGeometry(batch: 2, inChannels: 3, outChannels: 7, height: 19, width: 21, kernel: 3, stride: 2, padding: 1),
        ConvGeometry(batch: 1, inChannels: 6, outChannels: 10, height: 13, width: 13, kernel: 3, stride: 1, padding: 1, groups: 2),
        ConvGeometry(batch: 2, inChannels: 3, outChannels: 4, height: 6, width: 5, kernel: 3, stride: 1, padding: 1),
        ConvGeometry(batch: 3, inChannels: 1, outChannels: 5, height: 9, width: 9, kernel: 3, stride: 2, padding: 1),
        ConvGeometry(batch: 1, inChannels: 2, outChannels: 3, height: 7, width: 8, kernel: 3, stride: 2, padding: 0),
        ConvGeometry(batch: 2, inChannels: 2, outChannels: 3, inHeight: 5, inWidth: 41, kernelHeight: 3, kernelWidth: 3,
                     strideH: 2, strideW: 2, padH: 1, padW: 1, groups: 1),
        ConvGeometry(batch: 2, inChannels: 4, outChannels: 6, height: 5, width: 5, kernel: 3, stride: 1, padding: 1, groups: 2),
        ConvGeometry(batch: 2, inChannels: 6, outChannels: 3, height: 4, width: 6, kernel: 1, stride: 1, padding: 0),
        ConvGeometry(batch: 2, inChannels: 4, outChannels: 8, height: 5, width: 5, kernel: 1, stride: 1, padding: 0, groups: 2),
        ConvGeometry(batch: 2, inChannels: 3, outChannels: 2, height: 7, width: 5, kernel: 1, stride: 2, padding: 0),
        ConvGeometry(batch: 2, inChannels: 2, outChannels: 3, inHeight: 6, inWidth: 7, kernelHeight: 2, kernelWidth: 3,
                     strideH: 1, strideW: 2, padH: 1, padW: 0, groups: 1),
        ConvGeometry(batch: 2, inChannels: 3, outChannels: 3, height: 7, width: 7, kernel: 3, stride: 1, padding: 1, groups: 3),
        ConvGeometry(batch: 2, inChannels: 3, outChannels: 3, height: 7, width: 7, kernel: 3, stride: 2, padding: 1, groups: 3),
        ConvGeometry(batch: 2, inChannels: 2, outChannels: 2, height: 9, width: 11, kernel: 5, stride: 1, padding: 2, groups: 2),
        ConvGeometry(batch: 1, inChannels: 2, outChannels: 2, height: 10, width: 9, kernel: 5, stride: 2, padding: 2, groups: 2),
        ConvGeometry(batch: 2, inChannels: 2, outChannels: 2, height: 7, width: 7, kernel: 7, stride: 1, padding: 3, groups: 2),
        ConvGeometry(batch: 2, inChannels: 3, outChannels: 3, height: 14, width: 13, kernel: 7, stride: 2, padding: 3, groups: 3),
        ConvGeometry(batch: 2, inChannels: 2, outChannels: 2, height: 20, width: 19, kernel: 3, stride: 1, padding: 1, groups: 2),
        ConvGeometry(batch: 1, inChannels: 2, outChannels: 4, height: 6, width: 6, kernel: 3, stride: 1, padding: 1, groups: 2),
        ConvGeometry(batch: 2, inChannels: 3, outChannels: 3, height: 5, width: 6, kernel: 1, stride: 2, padding: 0, groups: 3),
        ConvGeometry(batch: 2, inChannels: 2, outChannels: 2, height: 9, width: 9, kernel: 3, stride: 4, padding: 1, groups: 2),
        ConvGeometry(batch: 2, inChannels: 2, outChannels: 2, inHeight: 9, inWidth: 10, kernelHeight: 3, kernelWidth: 5,
                     strideH: 2, strideW: 1, padH: 1, padW: 2, groups: 2),
        ConvGeometry(batch: 1, inChannels: 2, outChannels: 2, height: 6, width: 6, kernel: 3, stride: 1, padding: 2, groups: 2),
        ConvGeometry(batch: 2, inChannels: 2, outChannels: 2, inHeight: 5, inWidth: 37, kernelHeight: 3, kernelWidth: 3,
                     strideH: 2, strideW: 2, padH: 1, padW: 1, groups: 2),
        ConvGeometry(batch: 3, inChannels: 2, outChannels: 2, inHeight: 12, inWidth: 10, kernelHeight: 9, kernelWidth: 7,
                     strideH: 1, strideW: 1, padH: 4, padW: 2, groups: 2),
        // Depthwise planes for the C block loop: several 7-row blocks with interior blocks (28×28), 8-row
        // blocks on a wide plane whose width is no multiple of 8, stride 2 on odd sizes, and rows of 40
        // columns (on the AVX-512 path two 16-column blocks and an 8-column end).
        ConvGeometry(batch: 2, inChannels: 3, outChannels: 3, height: 28, width: 28, kernel: 7, stride: 1, padding: 3, groups: 3),
        ConvGeometry(batch: 2, inChannels: 2, outChannels: 2, height: 9, width: 37, kernel: 5, stride: 1, padding: 2, groups: 2),
        // 16 channels per vector on the AVX-512 path (`DepthwiseLanes`): a 7×7 plane with a 7×7 kernel, and
        // 32 channels on a 5×6 plane with an asymmetric 3×5 kernel.
        ConvGeometry(batch: 2, inChannels: 16, outChannels: 16, height: 7, width: 7, kernel: 7, stride: 1, padding: 3, groups: 16),
        ConvGeometry(batch: 1, inChannels: 32, outChannels: 32, inHeight: 5, inWidth: 6, kernelHeight: 3, kernelWidth: 5,
                     strideH: 1, strideW: 1, padH: 1, padW: 2, groups: 32),
        // A kernel 9 wide on an 8-column plane: the lanes take the forward and input gradient, the row loop
        // the weight gradient (one lanes accumulator per kernel column, at most 8).
        ConvGeometry(batch: 1, inChannels: 16, outChannels: 16, inHeight: 7, inWidth: 8, kernelHeight: 7, kernelWidth: 9,
                     strideH: 1, strideW: 1, padH: 3, padW: 4, groups: 16),
        // Stride 2 on the lanes: avmnist's 14×14 → 7×7 layer with a 7×7 kernel; odd plane sizes with a 5×5
        // kernel (an 8-column output, phases of 7 and 8 columns); a 1×1 kernel, whose odd phases get no tap.
        depthwise(batch: 2, channels: 16, 14, 14, kernel: 7, stride: 2), depthwise(batch: 1, channels: 32, 13, 15, kernel: 5, stride: 2),
        depthwise(batch: 2, channels: 16, 5, 6, kernel: 1, stride: 2),
        // The lanes weight gradient of a 12×11 plane (row loop forward): two chunks of output rows (8 and 4).
        depthwise(batch: 2, channels: 16, 12, 11, kernel: 7, stride: 1),
        // Stride 2 in column chunks: a 28×27 input, 14 output columns and phases of 14 and 13 (two chunks);
        // a 10×45 input with a 5×5 kernel, 23 output columns (three chunks for the input gradient; the forward
        // stays on the row loop beyond 16 output columns).
        depthwise(batch: 1, channels: 16, 28, 27, kernel: 7, stride: 2), depthwise(batch: 1, channels: 16, 10, 45, kernel: 5, stride: 2),
        ConvGeometry(batch: 2, inChannels: 2, outChannels: 2, height: 12, width: 30, kernel: 7, stride: 1, padding: 3, groups: 2),
        ConvGeometry(batch: 1, inChannels: 2, outChannels: 2, inHeight: 17, inWidth: 23, kernelHeight: 5, kernelWidth: 5,
                     strideH: 2, strideW: 2, padH: 2, padW: 2, groups: 2),
        ConvGeometry(batch: 5, inChannels: 6, outChannels: 4, height: 1, width: 1, kernel: 1),
        ConvGeometry(batch: 3, inChannels: 4, outChannels: 7, height: 1, width: 1, kernel: 1),
        // 1×1 on small planes (the batch-wide GEMM): a fusion Conv1d on L = 16, a 5×5 plane, odd channels;
        // then a 7×7 plane, the smallest to take the per-sample GEMMs.
        ConvGeometry(batch: 3, inChannels: 7, outChannels: 5, inHeight: 16, inWidth: 1, kernelHeight: 1, kernelWidth: 1,
                     strideH: 1, strideW: 1, padH: 0, padW: 0, groups: 1),
        ConvGeometry(batch: 2, inChannels: 5, outChannels: 3, height: 5, width: 5, kernel: 1),
        ConvGeometry(batch: 2, inChannels: 5, outChannels: 3, height: 7, width: 7, kernel: 1),
    ]

    /// A depthwise convolution of `channels` planes of height × width with a square kernel padded by half its size.
    static func depthwise(batch: Int, channels: Int, _ height: Int, _ width: Int, kernel: Int, stride: Int) -> ConvGeometry {
        ConvGeometry(batch: batch, inChannels: channels, outChannels: channels, inHeight: height, inWidth: width,
                     kernelHeight: kernel, kernelWidth: kernel, strideH: stride, strideW: stride, padH: kernel / 2,
                     padW: kernel / 2, groups: channels)
    }

    // MARK: Hand-computed cases

    /// 3×3 input 1…9, 2×2 kernel of ones: each output is the sum of a 2×2 window.
    func testForwardHandComputedWindowSums() {
        let g = ConvGeometry(batch: 1, inChannels: 1, outChannels: 1, height: 3, width: 3, kernel: 2)
        let y = Self.forward(g, x: (1...9).map(Float.init), w: [1, 1, 1, 1], b: nil)
        XCTAssertEqual(y, [12, 16, 24, 28])
    }

    /// Padding 1, stride 2 on the same input, with bias 0.5: windows at (-1,-1), (-1,1), (1,-1), (1,1).
    func testForwardHandComputedStridedPaddedWithBias() {
        let g = ConvGeometry(batch: 1, inChannels: 1, outChannels: 1, height: 3, width: 3, kernel: 2, stride: 2, padding: 1)
        let y = Self.forward(g, x: (1...9).map(Float.init), w: [1, 1, 1, 1], b: [0.5])
        XCTAssertEqual(y, [1.5, 5.5, 11.5, 28.5])
    }

    /// Depthwise with two channels: each channel only sees its own filter.
    func testForwardHandComputedDepthwise() {
        let g = ConvGeometry(batch: 1, inChannels: 2, outChannels: 2, height: 2, width: 2, kernel: 3, padding: 1, groups: 2)
        // Channel 0 filter: centre 1 (identity); channel 1: all ones (sum over the 2×2 image everywhere).
        var w = [Float](repeating: 0, count: 18)
        w[4] = 1
        for i in 9..<18 { w[i] = 1 }
        let y = Self.forward(g, x: [1, 2, 3, 4, 10, 20, 30, 40], w: w, b: nil)
        XCTAssertEqual(y, [1, 2, 3, 4, 100, 100, 100, 100])
    }

    /// 1×1 convolution is a matrix product over channels at each pixel.
    func testForwardHandComputedPointwise() {
        let g = ConvGeometry(batch: 1, inChannels: 2, outChannels: 2, height: 1, width: 2, kernel: 1)
        let y = Self.forward(g, x: [1, 2, 3, 4], w: [1, 10, -1, 1], b: [0, 100])
        // out0 = x0 + 10·x1, out1 = −x0 + x1 + 100
        XCTAssertEqual(y, [31, 42, 102, 102])
    }

    // MARK: Against the reference

    func testForwardMatchesReference() {
        for (index, g) in Self.geometries.enumerated() {
            var rng = SeededGenerator(seed: UInt64(index))
            let x = Self.random(g.inputCount, &rng), w = Self.random(g.weightCount, &rng)
            let b = index % 2 == 0 ? Self.random(g.outChannels, &rng) : nil
            Self.assertClose(Self.forward(g, x: x, w: w, b: b), ConvReference.forward(g, x, w, b), "forward \(g)")
        }
    }

    func testBackwardInputMatchesReferenceAdjoint() {
        for (index, g) in Self.geometries.enumerated() {
            var rng = SeededGenerator(seed: UInt64(100 + index))
            let dy = Self.random(g.outputCount, &rng), w = Self.random(g.weightCount, &rng)
            Self.assertClose(Self.backwardInput(g, dy: dy, w: w), ConvReference.gradInput(g, dy, w), "backwardInput \(g)")
        }
    }

    func testBackwardWeightMatchesReferenceAdjoint() {
        for (index, g) in Self.geometries.enumerated() { Self.assertBackwardWeightMatchesReference(g, seed: UInt64(200 + index)) }
    }

    /// Weight and bias gradients of random `x`, `dy` (from `seed`) against the Double reference.
    static func assertBackwardWeightMatchesReference(_ g: ConvGeometry, seed: UInt64, file: StaticString = #filePath, line: UInt = #line) {
        var rng = SeededGenerator(seed: seed)
        let x = random(g.inputCount, &rng), dy = random(g.outputCount, &rng)
        let (dw, db) = backwardWeight(g, x: x, dy: dy)
        let reference = ConvReference.gradWeight(g, x, dy)
        assertClose(dw, reference.weight, "backwardWeight \(g)", file: file, line: line)
        assertClose(db, reference.bias, "backwardBias \(g)", file: file, line: line)
    }

    /// The loss L = ⟨dy, conv(x, w) + b⟩ computed by the Double reference, differentiated by
    /// central differences, against the kernels' gradients: checks the adjoints independently of
    /// the reference's own adjoint code.
    func testBackwardMatchesFiniteDifferences() {
        let cases = [
            ConvGeometry(batch: 2, inChannels: 2, outChannels: 2, height: 5, width: 4, kernel: 3, stride: 2, padding: 1),
            ConvGeometry(batch: 1, inChannels: 2, outChannels: 2, height: 6, width: 6, kernel: 5, stride: 2, padding: 2, groups: 2),
            ConvGeometry(batch: 2, inChannels: 3, outChannels: 2, height: 3, width: 3, kernel: 1),
        ]
        for (index, g) in cases.enumerated() {
            var rng = SeededGenerator(seed: UInt64(300 + index))
            // parameters[0] = x, [1] = w, [2] = b.
            var parameters = [Self.random(g.inputCount, &rng), Self.random(g.weightCount, &rng), Self.random(g.outChannels, &rng)]
            let dy = Self.random(g.outputCount, &rng)
            func loss() -> Double {
                zip(ConvReference.forward(g, parameters[0], parameters[1], parameters[2]), dy).reduce(0) { $0 + $1.0 * Double($1.1) }
            }
            func numeric(_ which: Int) -> [Double] {
                (0..<parameters[which].count).map { i in
                    let saved = parameters[which][i], h: Float = 0.25
                    parameters[which][i] = saved + h; let plus = loss()
                    parameters[which][i] = saved - h; let minus = loss()
                    parameters[which][i] = saved
                    return (plus - minus) / Double(2 * h)
                }
            }
            Self.assertClose(Self.backwardInput(g, dy: dy, w: parameters[1]), numeric(0), "finite-difference dx \(g)")
            let (dw, db) = Self.backwardWeight(g, x: parameters[0], dy: dy)
            Self.assertClose(dw, numeric(1), "finite-difference dw \(g)")
            Self.assertClose(db, numeric(2), "finite-difference db \(g)")
        }
    }

    /// One and two workers give bitwise-identical results for all three passes: work is split
    /// by sample or channel and weight gradients are summed in thread-count-independent chunks.
    func testThreadCountsGiveIdenticalResults() {
        for (index, g) in Self.geometries.enumerated() {
            var rng = SeededGenerator(seed: UInt64(400 + index))
            let passes = Self.allPasses(g, &rng)
            Self.assertIdentical(passes.threads1, passes.threads2, "threads 1 vs 2 for \(g)")
        }
    }

    /// The depthwise passes (the C block loop and its Swift fallback for kernels above 8 rows) give the
    /// same bits on the AVX2 and AVX-512 builds of the loop. Skipped on a CPU without AVX-512.
    func testDepthwisePassesGiveTheSameBitsOnBothPaths() throws {
        try XCTSkipUnless(KernelPath.avx512Available, "this CPU has no AVX-512: only one path to test")
        for (index, g) in Self.geometries.enumerated() where DepthwiseConv.supports(g) {
            func run() -> [[Float]] {
                var rng = SeededGenerator(seed: UInt64(700 + index))
                return Self.allPasses(g, &rng).threads1
            }
            let avx2 = KernelPath.with(.avx2) { run() }, avx512 = KernelPath.with(.avx512) { run() }
            XCTAssertEqual(avx2.path, .avx2)
            XCTAssertEqual(avx512.path, .avx512)
            Self.assertIdentical(avx2.result, avx512.result, "AVX2 vs AVX-512 for \(g)")
        }
    }

    /// A 1×1 convolution on 1×1 images big enough for its batch-wide GEMMs to be split over two
    /// workers: same bits for one and two threads, and right.
    func testSinglePixelConvSplitOverThreads() {
        let g = ConvGeometry(batch: 160, inChannels: 96, outChannels: 80, height: 1, width: 1, kernel: 1)
        XCTAssertGreaterThan(Gemm.parts(m: g.batch, n: g.outChannels, k: g.inChannels), 1)
        Self.assertSplitOverThreadsAndRight(g, seed: 600)
    }

    /// A 1×1 convolution on 4×4 planes big enough for its batch-wide GEMMs to be split over two workers,
    /// with odd channel counts: same bits for one and two threads, and right.
    func testBatchedPointwiseConvSplitOverThreads() {
        let g = ConvGeometry(batch: 37, inChannels: 33, outChannels: 65, height: 4, width: 4, kernel: 1)
        XCTAssertTrue(BatchedPointwiseConv.supports(g))
        XCTAssertGreaterThan(Gemm.parts(m: g.outChannels, n: g.batch * g.inPlane, k: g.inChannels), 1)
        Self.assertSplitOverThreadsAndRight(g, seed: 610)
    }

    /// Batches below `ConvKernels.splitBelowBatch` cut each sample's GEMM (and its im2col unfolding) over
    /// the workers instead of spreading samples (a 1×1 convolution of a large plane at batch 1, k×k ones
    /// through im2col at batch 2 and, strided like a network's first layer, at batch 1): same bits for one
    /// and two threads, and right.
    func testSmallBatchSplitsEachSampleProductOverThreads() {
        let pointwise = ConvGeometry(batch: 1, inChannels: 24, outChannels: 40, height: 40, width: 41, kernel: 1)
        let unfolded = ConvGeometry(batch: 2, inChannels: 8, outChannels: 32, height: 48, width: 50, kernel: 3, stride: 1, padding: 1)
        let first = ConvGeometry(batch: 1, inChannels: 3, outChannels: 16, height: 100, width: 98, kernel: 3, stride: 2, padding: 1)
        for (index, g) in [pointwise, unfolded, first].enumerated() {
            XCTAssertLessThan(g.batch, ConvKernels.splitBelowBatch)
            XCTAssertFalse(BatchedPointwiseConv.supports(g))
            XCTAssertGreaterThan(Gemm.parts(m: g.outChannels, n: g.outPlane, k: g.inChannels * g.kernelArea), 1)
            Self.assertSplitOverThreadsAndRight(g, seed: UInt64(630 + index))
        }
    }

    /// `ConvKernels.backward` (both gradients from one gather of dY on the batched pointwise path, the
    /// separate passes elsewhere) gives the bits of `backwardInput` and `backwardWeight`, bias included.
    func testCombinedBackwardGivesTheBitsOfTheSeparatePasses() {
        for g in [ConvGeometry(batch: 37, inChannels: 33, outChannels: 65, height: 3, width: 5, kernel: 1),
                  ConvGeometry(batch: 5, inChannels: 6, outChannels: 6, height: 5, width: 5, kernel: 3, padding: 1, groups: 6)] {
            var rng = SeededGenerator(seed: 620)
            let x = Self.random(g.inputCount, &rng), w = Self.random(g.weightCount, &rng), dy = Self.random(g.outputCount, &rng)
            var dx = [Float](repeating: .nan, count: g.inputCount), dw = [Float](repeating: .nan, count: g.weightCount)
            var db = [Float](repeating: .nan, count: g.outChannels)
            dx.withUnsafeMutableBufferPointer { dxp in
                dw.withUnsafeMutableBufferPointer { dwp in
                    db.withUnsafeMutableBufferPointer { dbp in
                        ConvKernels.backward(g, input: x, gradOutput: dy, weight: w, gradInput: dxp.baseAddress!,
                                             gradWeight: dwp.baseAddress!, gradBias: dbp.baseAddress!)
                    }
                }
            }
            let (separateWeight, separateBias) = Self.backwardWeight(g, x: x, dy: dy)
            XCTAssertEqual(dx.map(\.bitPattern), Self.backwardInput(g, dy: dy, w: w).map(\.bitPattern))
            XCTAssertEqual(dw.map(\.bitPattern), separateWeight.map(\.bitPattern))
            XCTAssertEqual(db.map(\.bitPattern), separateBias.map(\.bitPattern))
        }
    }

    /// A batch large enough that samples are really spread over workers and weight-gradient chunks.
    func testLargerBatchAgainstReference() {
        let g = ConvGeometry(batch: 19, inChannels: 4, outChannels: 4, height: 6, width: 6, kernel: 3, stride: 1, padding: 1, groups: 4)
        let p = ConvGeometry(batch: 19, inChannels: 4, outChannels: 5, height: 3, width: 3, kernel: 1)
        for (index, geometry) in [g, p].enumerated() { Self.assertBackwardWeightMatchesReference(geometry, seed: UInt64(500 + index)) }
    }

    // MARK: Helpers

    /// One and two threads give the same bits for all passes, and the passes match the reference.
    static func assertSplitOverThreadsAndRight(_ g: ConvGeometry, seed: UInt64, file: StaticString = #filePath, line: UInt = #line) {
        var rng = SeededGenerator(seed: seed)
        let passes = allPasses(g, &rng)
        assertIdentical(passes.threads1, passes.threads2, "threads 1 vs 2", file: file, line: line)
        let (x, w, b, dy) = passes.inputs
        assertClose(passes.threads1[0], ConvReference.forward(g, x, w, b), "forward", file: file, line: line)
        assertClose(passes.threads1[1], ConvReference.gradInput(g, dy, w), "backwardInput", file: file, line: line)
        assertClose(passes.threads1[2], ConvReference.gradWeight(g, x, dy).weight, "backwardWeight", file: file, line: line)
    }

    static func random(_ count: Int, _ rng: inout SeededGenerator) -> [Float] {
        (0..<count).map { _ in Float.random(in: -1...1, using: &rng) }
    }

    /// Random input, weight, bias and output gradient, and the four results (forward, input,
    /// weight and bias gradients) concatenated, computed with one and with two threads.
    static func allPasses(_ g: ConvGeometry, _ rng: inout SeededGenerator)
        -> (inputs: (x: [Float], w: [Float], b: [Float], dy: [Float]), threads1: [[Float]], threads2: [[Float]]) {
        let x = random(g.inputCount, &rng), w = random(g.weightCount, &rng)
        let dy = random(g.outputCount, &rng), b = random(g.outChannels, &rng)
        let results = [1, 2].map { threads -> [[Float]] in
            Parallel.threads = threads
            let (dw, db) = backwardWeight(g, x: x, dy: dy)
            return [forward(g, x: x, w: w, b: b), backwardInput(g, dy: dy, w: w), dw, db]
        }
        return ((x, w, b, dy), results[0], results[1])
    }

    static func forward(_ g: ConvGeometry, x: [Float], w: [Float], b: [Float]?) -> [Float] {
        var y = [Float](repeating: .nan, count: g.outputCount)
        y.withUnsafeMutableBufferPointer { y in
            if let b {
                b.withUnsafeBufferPointer { ConvKernels.forward(g, input: x, weight: w, bias: $0.baseAddress, output: y.baseAddress!) }
            } else {
                ConvKernels.forward(g, input: x, weight: w, bias: nil, output: y.baseAddress!)
            }
        }
        return y
    }

    static func backwardInput(_ g: ConvGeometry, dy: [Float], w: [Float]) -> [Float] {
        var dx = [Float](repeating: .nan, count: g.inputCount)
        dx.withUnsafeMutableBufferPointer { ConvKernels.backwardInput(g, gradOutput: dy, weight: w, gradInput: $0.baseAddress!) }
        return dx
    }

    static func backwardWeight(_ g: ConvGeometry, x: [Float], dy: [Float]) -> ([Float], [Float]) {
        var dw = [Float](repeating: .nan, count: g.weightCount)
        var db = [Float](repeating: .nan, count: g.outChannels)
        dw.withUnsafeMutableBufferPointer { dw in
            db.withUnsafeMutableBufferPointer { db in
                ConvKernels.backwardWeight(g, input: x, gradOutput: dy, gradWeight: dw.baseAddress!, gradBias: db.baseAddress!)
            }
        }
        return (dw, db)
    }

    /// The same bits, element by element; reports how many differ rather than printing the arrays.
    static func assertIdentical<T: Equatable>(_ a: [T], _ b: [T], _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, message, file: file, line: line)
        let differing = zip(a, b).filter { $0 != $1 }.count
        XCTAssertEqual(differing, 0, "\(message): \(differing) of \(a.count) differ", file: file, line: line)
    }

    /// |actual − expected| ≤ 1e-4 · (1 + |expected|) elementwise (Float kernels vs Double reference).
    static func assertClose(_ actual: [Float], _ expected: [Double], _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, message, file: file, line: line)
        var worst = 0.0, worstIndex = -1
        for (i, (a, e)) in zip(actual, expected).enumerated() {
            let error = abs(Double(a) - e) / (1 + abs(e))
            if error.isNaN || error > worst { worst = error.isNaN ? .infinity : error; worstIndex = i }
        }
        XCTAssertLessThanOrEqual(worst, 1e-4, "\(message): worst at \(worstIndex)", file: file, line: line)
    }
}

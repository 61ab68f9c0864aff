import CBLAS
import CKernels
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Times the convolution kernels on the layer shapes of the benchmark networks. Benchmark-only:
/// outside the public API (`@_spi(Bench) import HNASEngine`, as `hnas bench gemm` does).
@_spi(Bench) public enum KernelBenchmark {
    /// What a timing measures.
    public enum Clock: Sendable {
        /// Elapsed time: what a user waits for.
        case wall
        /// CPU time of the calling thread: insensitive to other processes on a loaded machine,
        /// meaningful only when all work runs on the calling thread (`Parallel.threads == 1`).
        case threadCPU
    }

    /// Times forward, backward-input and backward-weight of each shape at `batch` over `repeats` runs
    /// (after two warm-up runs) on `Parallel.threads` workers, then the bare sgemm of each 1×1 shape.
    /// The bare sgemms come last because OpenBLAS's own threads keep spinning for a while after a
    /// call and would take a core from the engine's next timing.
    public static func measure(_ shapes: [ConvShape], batch: Int, repeats: Int, clock: Clock = .wall) -> [ConvBenchResult] {
        precondition(clock == .wall || Parallel.threads == 1, "thread CPU time needs Parallel.threads == 1")
        let engine = shapes.map { engineTimings($0, batch: batch, repeats: repeats, clock: clock) }
        let bare = shapes.map { bareGemm($0, batch: batch, repeats: repeats, clock: clock) }
        return zip(shapes, zip(engine, bare)).map { shape, timings in
            let ((forward, backwardInput, backwardWeight), bareGemm) = timings
            let g = geometry(shape, batch: batch)
            return ConvBenchResult(
                shape: shape, batch: batch, threads: Parallel.threads, forward: forward, backwardInput: backwardInput,
                backwardWeight: backwardWeight, bareGemm: bareGemm, multiplyAdds: g.multiplyAdds,
                forwardBytes: 4 * (g.inputCount + g.weightCount + g.outputCount))
        }
    }

    /// The multiply-add peak of `Parallel.threads` workers running at once, in GFLOP/s (two per multiply-add): the
    /// fastest of `repeats` timed runs of independent FMA chains on the current kernel path (`hnas_ck_fma_chains`),
    /// eight calls per worker handed out in turn, so that a worker that starts late does not leave the others'
    /// time idle. What the kernels' rates are measured against.
    public static func peakGigaflops(repeats: Int = 5) -> Double {
        let pieces = 8 * Parallel.threads, iterations = 1 << 20
        let lanes = KernelPath.current == .avx512 ? 16 : 8
        // The chains' result is returned from C, across a call Swift cannot see into, so none is optimised away.
        let timing = time(repeats, .wall) { Parallel.forEach(pieces) { _ in _ = hnas_ck_fma_chains(iterations) } }
        return 2 * Double(pieces * iterations * 12 * lanes) / (timing.min / 1e3) / 1e9
    }

    /// Forward, backward-input and backward-weight timings of one shape through `ConvKernels`.
    private static func engineTimings(_ shape: ConvShape, batch: Int, repeats: Int, clock: Clock)
        -> (ConvBenchResult.Timing, ConvBenchResult.Timing, ConvBenchResult.Timing) {
        let g = geometry(shape, batch: batch)
        var rng = SeededGenerator(seed: 1)
        let x = buffer(g.inputCount, &rng), w = buffer(g.weightCount, &rng), y = buffer(g.outputCount, &rng)
        let dx = buffer(g.inputCount, &rng), dw = buffer(g.weightCount, &rng), db = buffer(g.outChannels, &rng)
        let bias = shape.bias ? buffer(g.outChannels, &rng) : nil
        defer { for p in [x, w, y, dx, dw, db] { p.deallocate() }; bias?.deallocate() }
        return (
            time(repeats, clock) { ConvKernels.forward(g, input: x, weight: w, bias: bias, output: y) },
            time(repeats, clock) { ConvKernels.backwardInput(g, gradOutput: y, weight: w, gradInput: dx) },
            time(repeats, clock) {
                ConvKernels.backwardWeight(g, input: x, gradOutput: y, gradWeight: dw, gradBias: shape.bias ? db : nil)
            })
    }

    /// For a 1×1 convolution (nil otherwise): one bare `cblas_sgemm` with the same M (out channels),
    /// N (batch × pixels) and K (in channels), OpenBLAS running `Parallel.threads` threads of its own.
    private static func bareGemm(_ shape: ConvShape, batch: Int, repeats: Int, clock: Clock) -> ConvBenchResult.Timing? {
        let g = geometry(shape, batch: batch)
        guard g.isPointwise && g.groups == 1 else { return nil }
        var rng = SeededGenerator(seed: 1)
        let x = buffer(g.inputCount, &rng), w = buffer(g.weightCount, &rng), y = buffer(g.outputCount, &rng)
        defer { for p in [x, w, y] { p.deallocate() } }
        let m = g.outChannels, n = g.batch * g.inPlane, k = g.inChannels
        openblas_set_num_threads(Int32(Parallel.threads))
        defer { openblas_set_num_threads(1) }
        return time(repeats, clock) {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
                        1, w, Int32(k), x, Int32(n), 0, y, Int32(n))
        }
    }

    private static func geometry(_ shape: ConvShape, batch: Int) -> ConvGeometry {
        ConvGeometry(batch: batch, inChannels: shape.inChannels, outChannels: shape.outChannels,
                     height: shape.height, width: shape.width, kernel: shape.kernel, stride: shape.stride,
                     padding: shape.padding, groups: shape.groups)
    }

    /// `count` floats drawn uniformly from [-1, 1]; the caller deallocates.
    private static func buffer(_ count: Int, _ rng: inout SeededGenerator) -> UnsafeMutablePointer<Float> {
        let pointer = UnsafeMutablePointer<Float>.allocate(capacity: count)
        for i in 0..<count { pointer[i] = Float.random(in: -1...1, using: &rng) }
        return pointer
    }

    /// Min and median milliseconds of `repeats` runs of `body` after two warm-up runs.
    static func time(_ repeats: Int, _ clock: Clock, _ body: () -> Void) -> ConvBenchResult.Timing {
        body()
        body()
        var samples: [Double] = []
        for _ in 0..<max(1, repeats) {
            let start = now(clock)
            body()
            samples.append((now(clock) - start) * 1e3)
        }
        samples.sort()
        return .init(min: samples[0], median: samples[samples.count / 2])
    }

    /// Seconds on `clock`.
    static func now(_ clock: Clock) -> Double {
        switch clock {
        case .wall:
            return Double(DispatchTime.now().uptimeNanoseconds) / 1e9
        case .threadCPU:
            var spec = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
            return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
        }
    }
}

/// Timings of one convolution layer shape through `ConvKernels`, for `hnas bench gemm` (benchmark-only SPI).
@_spi(Bench) public struct ConvBenchResult: Sendable {
    /// Milliseconds over the repeats.
    public struct Timing: Sendable {
        public let min: Double
        public let median: Double

        public init(min: Double, median: Double) {
            self.min = min
            self.median = median
        }
    }

    public let shape: ConvShape
    public let batch: Int
    public let threads: Int
    public let forward: Timing
    public let backwardInput: Timing
    public let backwardWeight: Timing
    /// For 1×1 convolutions: one bare `cblas_sgemm` with the same M (out channels), N (batch × pixels)
    /// and K (in channels), OpenBLAS running its own `threads` threads.
    public let bareGemm: Timing?
    /// Multiply-adds of one forward pass.
    public let multiplyAdds: Int
    /// Bytes one forward pass must at least read and write (input, weight, output).
    public let forwardBytes: Int

    /// GFLOP/s (2 flops per multiply-add) at a time in milliseconds.
    public func gflops(_ milliseconds: Double) -> Double { 2 * Double(multiplyAdds) / (milliseconds * 1e6) }
    /// GB/s of `forwardBytes` at a time in milliseconds (each backward moves the same amount).
    public func gigabytesPerSecond(_ milliseconds: Double) -> Double { Double(forwardBytes) / (milliseconds * 1e6) }
    /// Engine forward GFLOP/s over bare sgemm GFLOP/s, by best times.
    public var ratioToBareGemm: Double? { bareGemm.map { $0.min / forward.min } }
}

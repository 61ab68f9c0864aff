import XCTest
@testable import HNASEngine

/// The check every fused inference pass gets: on each instruction-set path this CPU has and at one and two
/// threads, the pass gives the bits of the separate ops, and the same bits on every path and thread count.
enum FusedPassCheck {
    /// Runs `pair` without gradients on every path and thread count; it returns the fused pass's result (nil
    /// fails: the pass must take the case) and the separate ops' result.
    static func assertSameBits(_ message: String, file: StaticString = #filePath, line: UInt = #line,
                               _ pair: () throws -> (fused: Tensor?, separate: Tensor)) throws {
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        let paths: [KernelPath] = KernelPath.avx512Available ? [.avx2, .avx512] : [.avx2]
        var bitsByRun: [[UInt32]] = []
        for path in paths {
            for threads in [1, 2] {
                Parallel.threads = threads
                let (fused, separate) = try KernelPath.with(path) { try Autograd.withoutGrad(pair) }.result
                let context = "\(message), \(path), \(threads) thread(s)"
                let result = try XCTUnwrap(fused, context, file: file, line: line)
                XCTAssertEqual(result.shape, separate.shape, context, file: file, line: line)
                XCTAssertEqual(result.scalars.map(\.bitPattern), separate.scalars.map(\.bitPattern), context, file: file, line: line)
                bitsByRun.append(result.scalars.map(\.bitPattern))
            }
        }
        for bits in bitsByRun.dropFirst() {
            XCTAssertEqual(bits, bitsByRun[0], "\(message): paths and thread counts", file: file, line: line)
        }
    }
}

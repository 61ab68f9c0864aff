import CKernels

/// The instruction-set path of the engine's C kernels (`CKernels`: Mish, dropout, …).
///
/// Both paths are compiled into every x86-64 binary; the first kernel call picks AVX-512 when the
/// CPU and OS support it (CPUID + XCR0) and AVX2 otherwise, so one binary runs on both kinds of CPU.
/// Setting the environment variable `HNAS_SIMD=avx2` forces the AVX2 path (to compare the two).
/// Every lane computes the same operations in the same order on both paths, so results agree to the
/// last bit in practice; the tests compare them within a tolerance.
public enum KernelPath: String, Sendable, CaseIterable {
    /// 8 lanes, AVX2 + FMA (x86-64-v3); on other architectures the generic vector build.
    case avx2
    /// 16 lanes, AVX-512 F/BW/DQ/VL.
    case avx512

    /// The path kernel calls take now.
    public static var current: KernelPath { hnas_ck_current_path() == HNAS_CK_PATH_AVX512 ? .avx512 : .avx2 }

    /// Whether this CPU and OS can run the AVX-512 path.
    public static var avx512Available: Bool { hnas_ck_avx512_available() != 0 }

    /// A one-line description for `hnas version --verbose`.
    public static var summary: String {
        #if arch(x86_64)
        let cpu = avx512Available ? "CPU has AVX-512" : "CPU has no AVX-512"
        #else
        let cpu = "not x86-64: generic vectors"
        #endif
        return "\(current == .avx512 ? "AVX-512 (16 lanes)" : "AVX2 (8 lanes)") — \(cpu); HNAS_SIMD=avx2 forces AVX2"
    }

    /// Runs `body` with kernel calls forced onto `path` (AVX-512 only where available), then restores
    /// the previous path. For tests that compare the paths; not safe while other threads run kernels.
    @discardableResult
    static func with<R>(_ path: KernelPath, _ body: () throws -> R) rethrows -> (path: KernelPath, result: R) {
        let previous = hnas_ck_current_path()
        let taken = hnas_ck_set_path(path == .avx512 ? HNAS_CK_PATH_AVX512 : HNAS_CK_PATH_AVX2)
        defer { hnas_ck_set_path(previous) }
        return (taken == HNAS_CK_PATH_AVX512 ? .avx512 : .avx2, try body())
    }
}

import CBLAS

/// Facts about this build and the BLAS it runs on, for `hnas version --verbose` and benchmark records.
public enum BuildInfo {
    /// The hnas version.
    public static let version = "0.1.0"

    /// The SIMD instruction level the Swift and C code were compiled for.
    public static var simdLevel: String {
        #if HNAS_SIMD_X86_64_V3
        return "x86-64-v3 (AVX2, FMA)"
        #elseif arch(arm64)
        return "arm64 (NEON)"
        #else
        return "baseline (no target CPU set)"
        #endif
    }

    /// The instruction-set path the engine's C kernels take on this CPU (chosen at run time, see `KernelPath`).
    public static var kernelPath: String { KernelPath.summary }

    /// The OpenBLAS kernel family chosen at load time (e.g. `Haswell`, `SkylakeX`).
    public static var blasCore: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// The number of threads OpenBLAS uses.
    public static var blasThreads: Int { Int(openblas_get_num_threads()) }

    /// The OpenBLAS build configuration string.
    public static var blasConfig: String {
        guard let config = openblas_get_config() else { return "unknown" }
        return String(cString: config)
    }
}

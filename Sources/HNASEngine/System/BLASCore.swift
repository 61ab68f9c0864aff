import CKernels
import Foundation

/// Keeps OpenBLAS off its SSE3 fallback kernels on CPUs newer than the OpenBLAS release.
///
/// OpenBLAS picks its kernel family once, when the library loads, from the CPU's model number. A
/// release that does not know the model falls back to `Prescott`, its SSE3 kernels: Debian 12's
/// OpenBLAS 0.3.21 does so on 5th-generation Xeons (Emerald Rapids, family 6 model 207), where every
/// GEMM then runs at a fraction of the speed the CPU's AVX-512 units give (MM-IMDB batch-1 inference
/// 24.8 → 12.0 ms, see BENCHMARKS.md). No CPU that really is a Prescott has AVX2, so `Prescott` on
/// a CPU with AVX2 + FMA always means a failed detection. OpenBLAS reads the environment variable
/// `OPENBLAS_CORETYPE` only while it loads, so the fix is to set it and start the process again.
public enum BLASCore {
    /// The environment variable OpenBLAS reads at load time to override its choice of kernels.
    public static let overrideVariable = "OPENBLAS_CORETYPE"
    /// Set by `relaunchIfMisdetected` to the core OpenBLAS had chosen on its own, for `hnas version --verbose`.
    public static let fallbackVariable = "HNAS_OPENBLAS_FALLBACK"

    /// The kernel family OpenBLAS should use instead of `chosen` on a CPU with these features, or nil
    /// when `chosen` is not the fallback or the CPU has nothing better: `SkylakeX` with AVX-512,
    /// `Haswell` with AVX2 + FMA (the families later OpenBLAS releases pick for unknown CPUs).
    public static func replacement(for chosen: String, avx2FMA: Bool, avx512: Bool) -> String? {
        guard chosen.caseInsensitiveCompare("Prescott") == .orderedSame else { return nil }
        if avx512 { return "SkylakeX" }
        if avx2FMA { return "Haswell" }
        return nil
    }

    /// `replacement(for:avx2FMA:avx512:)` for this process's OpenBLAS and CPU, or nil when
    /// `OPENBLAS_CORETYPE` is set (the user's choice stands): the core `relaunchIfMisdetected` sets.
    public static var replacement: String? {
        guard ProcessInfo.processInfo.environment[overrideVariable] == nil else { return nil }
        return replacement(for: BuildInfo.blasCore, avx2FMA: hnas_ck_avx2_fma_available() != 0,
                           avx512: KernelPath.avx512Available)
    }

    /// How the core was chosen, for `hnas version --verbose`: empty when OpenBLAS chose it itself.
    public static var origin: String {
        let environment = ProcessInfo.processInfo.environment
        guard let forced = environment[overrideVariable] else { return "" }
        if let fallback = environment[fallbackVariable] {
            return " (\(overrideVariable)=\(forced), set by hnas: OpenBLAS took this CPU for \(fallback))"
        }
        return " (\(overrideVariable)=\(forced))"
    }

    /// When OpenBLAS fell back to `Prescott` on a CPU with better kernels and `OPENBLAS_CORETYPE` is
    /// unset, sets it and re-executes this program with the same arguments (the process keeps its
    /// PID, so `mpirun` and shells see no difference). Call first thing in `main`, before any thread
    /// or file is opened; it returns only when nothing is to be done or the re-execution failed (then
    /// with a warning on stderr naming the variable to set by hand).
    public static func relaunchIfMisdetected() {
        guard let better = replacement else { return }
        setenv(overrideVariable, better, 1)
        setenv(fallbackVariable, BuildInfo.blasCore, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        let message = "warning: OpenBLAS chose its slow Prescott kernels on this CPU and hnas could not restart "
            + "itself (\(String(cString: strerror(errno)))); set \(overrideVariable)=\(better) for faster GEMMs\n"
        fputs(message, stderr)
    }
}

import ArgumentParser
import HNASKit

/// `hnas version [--verbose]`: the version, and with `--verbose` the build's SIMD level and OpenBLAS setup.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the hnas version (and, with --verbose, SIMD level, kernel path and OpenBLAS setup).",
        discussion: """
            Example:
              hnas version --verbose
            """
    )

    @Flag(name: .shortAndLong, help: "Also print the SIMD level, the kernel path (AVX2/AVX-512), OpenBLAS core, threads and config.")
    var verbose = false

    func run() throws {
        print("hnas \(BuildInfo.version)")
        guard verbose else { return }
        print("simd: \(BuildInfo.simdLevel)")
        print("kernels: \(BuildInfo.kernelPath)")
        print("openblas core: \(BuildInfo.blasCore)\(BLASCore.origin)")
        print("openblas threads: \(BuildInfo.blasThreads)")
        print("openblas config: \(BuildInfo.blasConfig)")
    }
}

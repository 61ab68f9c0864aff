// swift-tools-version:6.0
// hnas — hardware-aware multimodal neural architecture search (Harmonic-NAS) in Swift.
import PackageDescription

// Release builds must vectorise: without a target CPU, Swift lowers SIMD fused multiply-adds
// to one `fmaf` call per lane. On x86_64 we build for Haswell, i.e. x86-64-v3 (AVX2, FMA, BMI2;
// LLVM spells the CPU `haswell` for both the Swift and the Clang side); arm64 has NEON
// by default. The define lets `hnas version --verbose` report what the binary was built for.
// Only the tensor engine (and its tests) is built this way: every hot loop lives there.
#if arch(x86_64)
let simdSwift: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"]), .define("HNAS_SIMD_X86_64_V3")]
#else
let simdSwift: [SwiftSetting] = []
#endif

/// A system library reached through pkg-config, with the Debian package that provides it.
func systemLibrary(_ name: String, pkgConfig: String, apt: String) -> Target {
    .systemLibrary(name: name, path: "Sources/\(name)", pkgConfig: pkgConfig, providers: [.apt([apt])])
}

let package = Package(
    name: "hnas",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "hnas", targets: ["hnas"]),
        .library(name: "HNASEngine", targets: ["HNASEngine"]),
        .library(name: "HNASKit", targets: ["HNASKit"]),
        .library(name: "HNASSearch", targets: ["HNASSearch"]),
        .library(name: "ModalityImage", targets: ["ModalityImage"]),
        .library(name: "ModalityAudio", targets: ["ModalityAudio"]),
        .library(name: "ModalityText", targets: ["ModalityText"]),
        .library(name: "SearchEvolution", targets: ["SearchEvolution"]),
        .library(name: "SearchDARTS", targets: ["SearchDARTS"]),
        .library(name: "HardwareTX2", targets: ["HardwareTX2"]),
        .library(name: "StockPipelines", targets: ["StockPipelines"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        // ONNX export: the committed, pre-generated ONNX protobuf types on the SwiftProtobuf runtime, as a local
        // package so that swift-protobuf's plugin tools (its C++ protoc) are not built with hnas.
        .package(path: "Packages/ONNXProto"),
    ],
    targets: [
        // C libraries (module maps + pkg-config).
        systemLibrary("CBLAS", pkgConfig: "openblas", apt: "libopenblas-dev"),
        systemLibrary("CJPEG", pkgConfig: "libjpeg", apt: "libjpeg-dev"),
        systemLibrary("CPNG", pkgConfig: "libpng", apt: "libpng-dev"),
        systemLibrary("CSndFile", pkgConfig: "sndfile", apt: "libsndfile1-dev"),
        systemLibrary("CZlib", pkgConfig: "zlib", apt: "zlib1g-dev"),
        systemLibrary("CFFTW", pkgConfig: "fftw3f", apt: "libfftw3-dev"),
        systemLibrary("CHDF5", pkgConfig: "hdf5", apt: "libhdf5-dev"),
        systemLibrary("CMPI", pkgConfig: "ompi-c", apt: "libopenmpi-dev"),

        // The tensor engine: tensors, autograd, kernels, layers, optimisers, seeded RNG, safetensors/NPY.
        // It knows no dataset, modality or search; the only target that touches OpenBLAS and builds for a
        // target CPU.
        .target(name: "HNASEngine", dependencies: ["CBLAS", "CKernels"], swiftSettings: simdSwift),
        // CKernels: the engine's hottest element-wise kernels and the depthwise block loop in C, built per
        // instruction set (AVX2, AVX-512) with function-level target attributes and chosen at run time (one
        // binary for both kinds of CPU).
        .target(name: "CKernels"),
        // The core: protocols, registry, the OFA supernet, datasets, architecture and search types.
        .target(name: "HNASKit", dependencies: ["HNASEngine"]),
        // Benchmark networks and kernel timings for `hnas bench` (not part of the public core).
        .target(name: "HNASBench", dependencies: ["HNASEngine"]),

        // Plugins: each meets the others only through HNASKit.
        // CImageCodec: ModalityImage's C helper, the setjmp/longjmp error traps of libjpeg and libpng.
        .target(name: "CImageCodec", dependencies: ["CJPEG", "CPNG"]),
        .target(name: "ModalityImage", dependencies: ["HNASKit", "CJPEG", "CPNG", "CImageCodec"]),
        .target(name: "ModalityAudio", dependencies: ["HNASKit", "CSndFile", "CFFTW"]),
        .target(
            name: "ModalityText", dependencies: ["HNASKit", "CZlib"],
            resources: [
                .copy("Resources/bpe_simple_vocab_16e6.txt.gz"),
                .copy("Resources/README-vocabulary.md"),
                .copy("Resources/LICENSE-open_clip.txt"),
            ]),
        .target(name: "SearchEvolution", dependencies: ["HNASKit"]),
        .target(name: "SearchDARTS", dependencies: ["HNASKit"]),
        .target(name: "HardwareTX2", dependencies: ["HNASKit"], resources: [.copy("Resources")]),
        // The AV-MNIST, MM-IMDB and Memes pipelines (`--dataset`), over HNASKit's data readers; MM-IMDB's
        // prepare step reads the published HDF5 file (with the original's split file bundled).
        .target(name: "StockPipelines", dependencies: ["HNASKit", "CHDF5"], resources: [.copy("Resources/mmimdb_split.json")]),

        // The search orchestration (evaluator, runner, run directory, weights provisioning), written
        // against HNASKit's protocols only, so another Swift package can run a search from code.
        .target(name: "HNASSearch", dependencies: ["HNASKit"]),
        // OpenMPI behind HNASKit's Communicator: the one target that touches MPI (`--distributed mpi`).
        .target(name: "DistributedMPI", dependencies: ["HNASKit", "CMPI"]),

        // ONNX files: inference graphs serialised with SwiftProtobuf, checked on the decoded bytes, written
        // atomically. Only this target sees the protobuf types; the core does not depend on protobuf.
        .target(name: "ExportONNX", dependencies: ["HNASKit", "HNASSearch", .product(name: "ONNXProto", package: "ONNXProto")]),

        // The command-line tool.
        .executableTarget(
            name: "hnas",
            dependencies: [
                "HNASKit", "HNASSearch", "HNASBench", "ModalityImage", "ModalityAudio", "ModalityText",
                "SearchEvolution", "SearchDARTS", "HardwareTX2", "StockPipelines", "DistributedMPI", "ExportONNX",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ]),

        // One test target per library target.
        // Finite-difference gradient checks and fixture helpers shared by the engine's and the core's tests.
        .target(name: "HNASTestSupport", dependencies: ["HNASEngine"], path: "Tests/HNASTestSupport"),
        .testTarget(name: "HNASEngineTests", dependencies: ["HNASEngine", "HNASTestSupport", "CBLAS"], exclude: ["Fixtures"],
                    swiftSettings: simdSwift),
        .testTarget(name: "HNASKitTests", dependencies: ["HNASKit", "HNASTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "HNASBenchTests", dependencies: ["HNASBench", "HNASTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "ModalityImageTests", dependencies: ["ModalityImage", "CJPEG", "CPNG"], exclude: ["Fixtures"]),
        .testTarget(name: "ModalityAudioTests", dependencies: ["ModalityAudio", "CSndFile", "CFFTW"], exclude: ["Fixtures"]),
        .testTarget(name: "hnasTests", dependencies: ["hnas", "HNASKit", "HNASSearch", "SearchDARTS", "HNASTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "ModalityTextTests", dependencies: ["ModalityText", "CZlib"], exclude: ["Fixtures"]),
        .testTarget(name: "HardwareTX2Tests", dependencies: ["HardwareTX2", "HNASKit", "SearchDARTS", "StockPipelines"]),
        .testTarget(name: "SearchEvolutionTests", dependencies: ["SearchEvolution", "HNASKit"], exclude: ["Fixtures"]),
        .testTarget(name: "ExportONNXTests", dependencies: ["ExportONNX", "HNASKit", "HNASTestSupport"]),
        .testTarget(name: "HNASSearchTests", dependencies: ["HNASSearch", "HNASKit", "SearchEvolution", "SearchDARTS", "HardwareTX2"]),
        // A test-only modality + pipeline registered like any plugin: proves a search needs no edit of HNASKit or HNASSearch.
        .testTarget(name: "SensorPluginTests", dependencies: ["HNASSearch", "HNASKit", "SearchEvolution", "SearchDARTS"]),
        .testTarget(name: "StockPipelinesTests",
                    dependencies: ["StockPipelines", "HNASKit", "HNASSearch", "ModalityImage", "ModalityText", "SearchEvolution",
                                   "SearchDARTS", "HardwareTX2"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "SearchDARTSTests", dependencies: ["SearchDARTS", "HNASKit"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v5]
)

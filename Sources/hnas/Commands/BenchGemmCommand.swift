import ArgumentParser
import Foundation
@_spi(Bench) import HNASEngine
import HNASBench
import HNASKit

/// `hnas bench gemm`: the convolution kernels on every conv shape of a benchmark network —
/// GFLOP/s of the 1×1-conv path against one bare `cblas_sgemm` of the same M, N, K, and the
/// forward/backward times (and GB/s) of depthwise and other convolutions.
struct BenchGemmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemm",
        abstract: "Time the conv kernels (1×1 path vs bare sgemm, depthwise, k×k) on a network's conv shapes.",
        discussion: """
            For each distinct convolution of the network: forward, backward-input and backward-weight \
            times (min/median ms), forward GFLOP/s (also as a share of the cores' FMA peak, measured after \
            them with independent FMA chains on the same threads) and GB/s; for 1×1 convolutions also one bare \
            cblas_sgemm with M = out channels, N = batch × pixels, K = in channels (OpenBLAS using \
            --threads threads) and the ratio engine/bare. With --compare-torch, the same shapes are \
            timed in PyTorch (Scripts/torch_conv_timing.py, same threads, batch and clock) in the same \
            run, and the ratios hnas/PyTorch of each pass are printed. Build with -c release.

            Example:
              hnas bench gemm --threads 2 --compare-torch
            """
    )

    @OptionGroup var bench: BenchNetworkArguments

    @Option(help: "Timed runs per kernel (after two warm-ups).")
    var repeats = 10

    @Flag(help: "Measure the calling thread's CPU time instead of elapsed time (needs --threads 1); steadier on a loaded machine.")
    var cpuTime = false

    @Flag(help: "Also time the same shapes in PyTorch and print the ratios hnas/PyTorch.")
    var compareTorch = false

    @Option(help: "PyTorch timing script for --compare-torch (relative paths: to the repository root).")
    var torchScript = "Scripts/torch_conv_timing.py"

    func run() throws {
        try ArgumentRange.check(repeats, ArgumentRange.repeats, "--repeats")
        let (network, batch) = try bench.setUp()
        if cpuTime && Parallel.threads != 1 {
            throw HNASError.argument("--cpu-time", why: "measures one thread only, so it needs --threads 1")
        }

        var counts: [ConvShape: Int] = [:]
        var shapes: [ConvShape] = []
        for shape in try network.convolutions() {
            if counts[shape] == nil { shapes.append(shape) }
            counts[shape, default: 0] += 1
        }
        let results = KernelBenchmark.measure(shapes, batch: batch, repeats: repeats, clock: cpuTime ? .threadCPU : .wall)
        let peak = KernelBenchmark.peakGigaflops()
        let torch = compareTorch ? try torchTimings(shapes, batch: batch) : nil
        if bench.json {
            try printJSON(results, torch: torch, counts: counts, batch: batch, peak: peak)
        } else {
            printTable(results, counts: counts, batch: batch, peak: peak)
            if let torch { printTorchRatios(results, torch: torch) }
        }
    }

    /// PyTorch's forward, backward-input and backward-weight times of each shape, in order.
    private struct TorchTimings {
        let version: String
        let layers: [[ConvBenchResult.Timing]]
    }

    private func torchTimings(_ shapes: [ConvShape], batch: Int) throws -> TorchTimings {
        let list: [[String: Any]] = shapes.map {
            ["in": $0.inChannels, "out": $0.outChannels, "height": $0.height, "width": $0.width,
             "k": $0.kernel, "stride": $0.stride, "groups": $0.groups, "bias": $0.bias]
        }
        let object = try PythonReference.run(
            script: BenchNetworkArguments.resolve(torchScript),
            arguments: ["--batch", String(batch), "--threads", String(Parallel.threads), "--repeats", String(repeats),
                        "--clock", cpuTime ? "thread" : "wall"],
            input: try JSONSerialization.data(withJSONObject: list))
        let passes = ["forward_ms", "backward_input_ms", "backward_weight_ms"]
        guard let layers = object["layers"] as? [[String: Any]], layers.count == shapes.count else {
            throw HNASError.file(torchScript, "the PyTorch reference failed", why: "expected \(shapes.count) layers in its output")
        }
        let timings = try layers.map { layer in
            try passes.map { pass -> ConvBenchResult.Timing in
                guard let t = layer[pass] as? [String: Any], let min = (t["min"] as? NSNumber)?.doubleValue,
                      let median = (t["median"] as? NSNumber)?.doubleValue else {
                    throw HNASError.file(torchScript, "the PyTorch reference failed", why: "a layer lacks \(pass).min/median")
                }
                return ConvBenchResult.Timing(min: min, median: median)
            }
        }
        return TorchTimings(version: object["torch"] as? String ?? "unknown", layers: timings)
    }

    private func printTorchRatios(_ results: [ConvBenchResult], torch: TorchTimings) {
        print("")
        print("PyTorch \(torch.version), same shapes, batch, threads and clock, NCHW; ms as min/median; ratio = hnas/PyTorch by min (< 1: hnas faster)")
        let header = ["layer", "torch fwd", "torch bwd in", "torch bwd w", "fwd", "bwd in", "bwd w"]
        var rows = [header]
        for (r, t) in zip(results, torch.layers) {
            let ours = [r.forward, r.backwardInput, r.backwardWeight]
            rows.append([r.shape.description] + t.map(Self.timing) + zip(ours, t).map { String(format: "%.2f", $0.min / $1.min) })
        }
        print(TextColumns.format(rows))
    }

    private func printTable(_ results: [ConvBenchResult], counts: [ConvShape: Int], batch: Int, peak: Double) {
        print("hnas bench gemm: \(bench.net), batch \(batch), \(Parallel.threads) threads, OpenBLAS \(BuildInfo.blasCore)"
              + (cpuTime ? ", thread CPU time" : ", wall time"))
        print("times in ms as min/median; GFLOP/s and GB/s of the forward at its min; peak % = its GFLOP/s over the FMA peak "
              + String(format: "(%.0f GFLOP/s on %d threads, %@ path)", peak, Parallel.threads, KernelPath.current.rawValue)
              + "; ratio = 1×1 path / bare sgemm GFLOP/s")
        let header = ["layer", "n", "forward", "GFLOP/s", "peak %", "GB/s", "bwd input", "bwd weight", "sgemm", "sgemm GFLOP/s", "ratio"]
        var rows = [header]
        for r in results {
            rows.append([
                r.shape.description, "\(counts[r.shape] ?? 1)", Self.timing(r.forward),
                Self.number(r.gflops(r.forward.min)), String(format: "%.0f", 100 * r.gflops(r.forward.min) / peak),
                Self.number(r.gigabytesPerSecond(r.forward.min)),
                Self.timing(r.backwardInput), Self.timing(r.backwardWeight),
                r.bareGemm.map(Self.timing) ?? "-", r.bareGemm.map { Self.number(r.gflops($0.min)) } ?? "-",
                r.ratioToBareGemm.map { String(format: "%.2f", $0) } ?? "-",
            ])
        }
        print(TextColumns.format(rows))
        let pointwise = results.filter { $0.bareGemm != nil }
        if !pointwise.isEmpty {
            let engine = pointwise.reduce(0) { $0 + $1.forward.min * Double(counts[$1.shape] ?? 1) }
            let bare = pointwise.reduce(0) { $0 + $1.bareGemm!.min * Double(counts[$1.shape] ?? 1) }
            print(String(format: "1×1 convs of the network: engine %.3f ms, bare sgemm %.3f ms, ratio %.2f", engine, bare, bare / engine))
        }
    }

    private func printJSON(_ results: [ConvBenchResult], torch: TorchTimings?, counts: [ConvShape: Int], batch: Int, peak: Double) throws {
        func timing(_ t: ConvBenchResult.Timing) -> [String: Double] { ["min": t.min, "median": t.median] }
        let layers: [[String: Any]] = results.enumerated().map { index, r in
            var layer: [String: Any] = [
                "layer": r.shape.description, "count": counts[r.shape] ?? 1,
                "in": r.shape.inChannels, "out": r.shape.outChannels, "height": r.shape.height, "width": r.shape.width,
                "k": r.shape.kernel, "stride": r.shape.stride, "groups": r.shape.groups,
                "forward_ms": timing(r.forward), "backward_input_ms": timing(r.backwardInput),
                "backward_weight_ms": timing(r.backwardWeight),
                "forward_gflops": r.gflops(r.forward.min), "forward_gbps": r.gigabytesPerSecond(r.forward.min),
            ]
            if let bare = r.bareGemm, let ratio = r.ratioToBareGemm {
                layer["sgemm_ms"] = timing(bare)
                layer["sgemm_gflops"] = r.gflops(bare.min)
                layer["ratio"] = ratio
            }
            if let t = torch?.layers[index] {
                layer["torch_forward_ms"] = timing(t[0])
                layer["torch_backward_input_ms"] = timing(t[1])
                layer["torch_backward_weight_ms"] = timing(t[2])
            }
            return layer
        }
        var object: [String: Any] = [
            "net": bench.net, "batch": batch, "threads": Parallel.threads, "clock": cpuTime ? "thread_cpu" : "wall", "blas_core": BuildInfo.blasCore, "layers": layers,
            "fma_peak_gflops": peak, "kernel_path": KernelPath.current.rawValue,
        ]
        if let torch { object["torch"] = torch.version }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    private static func timing(_ t: ConvBenchResult.Timing) -> String { String(format: "%.3f/%.3f", t.min, t.median) }
    private static func number(_ value: Double) -> String { String(format: "%.1f", value) }
}

import ArgumentParser
import Dispatch
import Foundation
import HardwareTX2
import HNASKit

/// `hnas lut profile`: measures a latency/energy table for this machine over a dataset's search space.
struct LutProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Measure a latency/energy table for this machine: every layer configuration of a dataset's search space and the fusion operators.",
        discussion: """
            Each layer is built with the hnas engine exactly as its table key describes and run at batch 1 in evaluation mode: warm-up runs, then the median of the timed repeats. Energy comes from the RAPL package counters (/sys/class/powercap) where readable, otherwise it is null (said on stderr and in the file's "_note").

            The fusion plugin's operators (--fusion, default darts: the seven of the original's fusion tables) are measured too, on [1, 192, 16] inputs and keyed like the Jetson fusion tables, so the table prices a whole model.

            The file has the bundled tables' format; use it with `--device host --table FILE`. Build with -c release; other load on the machine inflates the figures.

            Example:
              hnas lut profile --dataset avmnist --out my_device.json
              hnas lut estimate --device host --table my_device.json --dataset avmnist --arch Examples/avmnist-example.json
            """
    )

    @Option(help: "Dataset whose search space to measure: avmnist, mmimdb or memes.")
    var dataset: String

    @Option(help: "Output table (JSON), written atomically.")
    var out: String

    @Option(help: "Fusion plugin whose operators to measure too (darts, random), or 'none'.")
    var fusion = "darts"

    @Option(help: "Timed runs per layer (the median is kept).")
    var repeats = 50

    @Option(help: "Untimed runs per layer before timing.")
    var warmup = 10

    @OptionGroup var threading: ThreadsOption

    func run() throws {
        try threading.apply()
        try ArgumentRange.check(repeats, ArgumentRange.repeats, "--repeats")
        try ArgumentRange.check(warmup, ArgumentRange.warmup, "--warmup")
        var isDirectory: ObjCBool = false
        let folder = URL(fileURLWithPath: out).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw HNASError.argument("--out", why: "folder '\(folder)' does not exist")
        }
        let profiler = try HostProfiler(repeats: repeats, warmup: warmup)
        let registry = makeRegistry()
        let layers = try ProfiledLayer.searchSpace(backbones: try registry.pipelines.make(dataset).costedBackbones(registry: registry).map { $0.backbone })
        let operators = try fusionOperators()
        let stderr = FileHandle.standardError
        let header = "hnas lut profile: \(layers.count) layer configurations of \(dataset)"
            + (operators.map { " and \($0.operatorNames.count) fusion operators" } ?? "") + ", \(Parallel.threads) thread(s), "
            + "\(warmup) warm-up + \(repeats) timed runs each\n\(profiler.meter.summary)\n"
        stderr.write(Data(header.utf8))
        let start = DispatchTime.now().uptimeNanoseconds
        let name = URL(fileURLWithPath: out).deletingPathExtension().lastPathComponent
        let table = try profiler.profile(layers, fusionOperators: operators, name: name) { done, total, key, cost in
            stderr.write(Data("[\(done)/\(total)] \(LutCommand.format(cost.latencyMs)) ms  \(LutCommand.format(cost.energyMJ)) mJ  \(key)\n".utf8))
        }
        try table.write(to: out)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let total = table.entries.values.reduce(0) { $0 + $1.latencyMs }
        print("wrote \(out): \(table.entries.count) entries in \(String(format: "%.1f", seconds)) s "
              + "(sum of layer medians \(LutCommand.format(total)) ms); energy "
              + (profiler.meter.isAvailable ? "measured" : "n/a (no readable RAPL counter: enrg is null)"))
    }

    /// The operators of `--fusion`, nil for `none`.
    /// - Throws: `HNASError` naming `--fusion` for an unknown plugin or one whose operators cannot be run alone.
    private func fusionOperators() throws -> (any FusionOperatorSource)? {
        guard fusion != "none" else { return nil }
        guard let source = try makeRegistry().fusionSearches.make(fusion) as? any FusionOperatorSource else {
            throw HNASError.argument("--fusion", why: "'\(fusion)' cannot run its fusion operators alone; use darts, random or none")
        }
        return source
    }
}

import Foundation
import HNASKit

/// The files of one `hnas search` run (DESIGN §5), every one written atomically (temporary file + rename):
///
/// ```
/// config.json              every setting used (SearchRunConfig)
/// generations/NNN.json     the SearchState after generation NNN (0-based): --resume continues from the last one
/// pareto.csv               the archive's Pareto front (acc, latency, energy, ids, configs, genotype)
/// pareto.svg               latency vs accuracy of every evaluated candidate, the front highlighted
/// best/<id>/arch.json      each front member as an architecture JSON (HNASKit/Architecture)
/// best/<id>/fusion.dot     its fusion genotype as a Graphviz graph
/// best/<id>/result.json    its objectives, unimodal scores and fusion result
/// best/<id>/<input>.safetensors     its backbone networks' weights: searched subnets with BatchNorm recalibrated
///                          as scored, fixed networks (e.g. text.safetensors) as used
/// best/<id>/fusion.safetensors      its trained fusion network (weights + spec, FusionModelFile)
/// best/<id>/model.json     what runs the whole model (ModelManifest): `hnas predict --model best/<id>`
/// log.txt                  the progress lines of the run
/// ```
public struct SearchRunDirectory {
    public let root: URL

    public init(root: URL) { self.root = root }

    public var configURL: URL { root.appendingPathComponent("config.json") }
    public var generationsURL: URL { root.appendingPathComponent("generations") }
    public var logURL: URL { root.appendingPathComponent("log.txt") }

    /// Writes `data` to `url` through a temporary file renamed over it, creating the parent folders.
    /// - Throws: `HNASError` naming the file.
    public static func writeAtomically(_ data: Data, to url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url, options: .atomic)
        } catch {
            throw HNASError.file(url.path, "cannot write", why: FileContents.reason(error))
        }
    }

    public static func json<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(value)
    }

    private static func decode<T: Decodable>(_ type: T.Type, from url: URL, what: String) throws -> T {
        let data = try FileContents.read(url, "cannot read \(what)")
        do { return try JSONDecoder().decode(type, from: data) } catch {
            throw HNASError.file(url.path, "invalid \(what)", why: "\(error)")
        }
    }

    public func writeConfig(_ config: SearchRunConfig) throws {
        try Self.writeAtomically(try Self.json(config), to: configURL)
    }

    public func readConfig() throws -> SearchRunConfig {
        try Self.decode(SearchRunConfig.self, from: configURL, what: "run config")
    }

    /// Writes the state after its last finished generation as `generations/NNN.json`.
    public func writeGeneration(_ state: SearchState) throws {
        precondition(state.generation >= 1, "only states after a generation are saved")
        try Self.writeAtomically(try Self.json(state), to: generationsURL.appendingPathComponent(String(format: "%03d.json", state.generation - 1)))
    }

    /// The state saved after the highest-numbered finished generation, or `nil` when none was saved.
    public func latestGeneration() throws -> SearchState? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: generationsURL.path)) ?? []
        let numbered = names.compactMap { name -> (Int, String)? in
            guard name.hasSuffix(".json"), let n = Int(name.dropLast(5)) else { return nil }
            return (n, name)
        }
        guard let last = numbered.max(by: { $0.0 < $1.0 }) else { return nil }
        return try Self.decode(SearchState.self, from: generationsURL.appendingPathComponent(last.1), what: "search state")
    }

    /// Writes `pareto.csv`, `pareto.svg` and `best/` for the archive of `state`; front members no longer on
    /// the front lose their `best/` folder.
    /// - Parameters:
    ///   - modalities: the searched modalities' names in pairing order (`image`, `audio`), keys of `arch.json`.
    ///   - inputNames: the fusion network's input-node names (`Image_1 … Audio_4`), for `fusion.dot`.
    ///   - format: reads a genotype text back for `arch.json` and draws it as `fusion.dot`; without one,
    ///     `arch.json` holds the genotype text and no drawing is written.
    public func writeResults(_ state: SearchState, dataset: String, modalities: [String], inputNames: [String],
                             format: (any FusionGenotypeFormat)?) throws {
        let front = state.paretoFront.map { state.archive[$0] }
        try Self.writeAtomically(Data(Self.paretoCSV(front, modalities: modalities).utf8), to: root.appendingPathComponent("pareto.csv"))
        try Self.writeAtomically(Data(ParetoPlot(archive: state.archive, front: state.paretoFront).svg.utf8),
                                 to: root.appendingPathComponent("pareto.svg"))
        let best = root.appendingPathComponent("best")
        for result in front {
            let folder = best.appendingPathComponent(result.id)
            let genotype = try format?.genotypeJSON(result.fusion.genotype) ?? .string(result.fusion.genotype)
            let architecture = Architecture(dataset: dataset, backbones: Dictionary(uniqueKeysWithValues: zip(modalities, result.backbones)),
                                            fusion: FusionArchitecture(steps: result.macro.cells, nodeSteps: result.macro.nodes, genotype: genotype))
            try Self.writeAtomically(try architecture.encoded(), to: folder.appendingPathComponent("arch.json"))
            if let format {
                try Self.writeAtomically(Data(try format.dotSource(genotypeText: result.fusion.genotype, inputNames: inputNames).utf8),
                                         to: folder.appendingPathComponent("fusion.dot"))
            }
            try Self.writeAtomically(try Self.json(result), to: folder.appendingPathComponent("result.json"))
        }
        let kept = Set(front.map(\.id))
        for name in (try? FileManager.default.contentsOfDirectory(atPath: best.path)) ?? [] where !kept.contains(name) {
            try? FileManager.default.removeItem(at: best.appendingPathComponent(name))
        }
    }

    /// Saves each front member's backbone networks as `best/<id>/<input>.safetensors` unless already there:
    /// `networks` gives, for the searched configs of a member, every input's network in pairing order (the
    /// recalibrated subnets as scored, and the fixed networks), so the whole set of backbones can be rebuilt
    /// from the folder (`BackboneNetwork.load(from:)` on the subnet of the config in `arch.json`).
    public func writeBestWeights(_ state: SearchState, inputs: [String],
                                 networks: ([BackboneConfig]) throws -> [any BackboneNetwork]) throws {
        for result in state.paretoFront.map({ state.archive[$0] }) {
            let urls = inputs.map { root.appendingPathComponent("best/\(result.id)/\($0).safetensors") }
            guard urls.contains(where: { !FileManager.default.fileExists(atPath: $0.path) }) else { continue }
            var searched = result.backbones.makeIterator()
            for ((network, url), modality) in zip(zip(try networks(result.backbones), urls), inputs) {
                let config = network.isFixed ? "fixed" : searched.next()?.description ?? "?"
                guard !FileManager.default.fileExists(atPath: url.path) else { continue }
                try network.save(to: url, metadata: ["modality": modality, "config": config])
            }
        }
    }

    /// Completes each front member's model directory with `fusion.safetensors` and `model.json` unless already
    /// there: `model` gives a member's trained fusion network and the manifest to write beside it.
    public func writeBestModels(_ state: SearchState,
                                model: (MultimodalResult) throws -> (fusion: any FusionModel, manifest: ModelManifest)) throws {
        for result in state.paretoFront.map({ state.archive[$0] }) {
            let folder = root.appendingPathComponent("best/\(result.id)")
            let fusionURL = folder.appendingPathComponent("fusion.safetensors")
            let manifestURL = folder.appendingPathComponent(ModelManifest.fileName)
            let manager = FileManager.default
            guard !manager.fileExists(atPath: fusionURL.path) || !manager.fileExists(atPath: manifestURL.path) else { continue }
            let (fusion, manifest) = try model(result)
            try FusionModelFile.save(fusion, to: fusionURL)
            try manifest.write(into: folder)
        }
    }

    /// The front as CSV: `id, generation, acc, test_acc, latency, energy, cells, nodes`, one config column per
    /// modality (JSON), `genotype`; accuracy in percent, latency in ms, energy in mJ (empty when unknown).
    public static func paretoCSV(_ front: [MultimodalResult], modalities: [String]) throws -> String {
        func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        func number(_ x: Double?) -> String { x.map { String(format: "%.6g", $0) } ?? "" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var lines = [(["id", "generation", "acc", "test_acc", "latency", "energy", "cells", "nodes"]
                      + modalities.map { "\($0)_config" } + ["genotype"]).joined(separator: ",")]
        for result in front {
            let configs = try result.backbones.map { quoted(String(decoding: try encoder.encode($0), as: UTF8.self)) }
            let cells = [result.id, "\(result.generation)", number(result.accuracy), number(result.fusion.testAccuracy),
                         number(result.cost.latencyMs), number(result.cost.energyMJ), "\(result.macro.cells)", "\(result.macro.nodes)"]
                + configs + [quoted(result.fusion.genotype)]
            lines.append(cells.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

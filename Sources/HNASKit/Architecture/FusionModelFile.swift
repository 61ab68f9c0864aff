import Foundation

/// A fusion model on disk: one safetensors file with the trained weights and, in its metadata under
/// `fusion_model`, the model's `FusionModelSpec` as JSON — what `FusionSearch.model(_:)` rebuilds
/// the network from (`fusion.safetensors` of a model directory).
public enum FusionModelFile {
    /// The metadata key holding the spec.
    public static let specKey = "fusion_model"

    /// Writes `model`'s weights and spec to `url`, atomically.
    /// - Throws: `HNASError` naming the file when it cannot be written.
    public static func save(_ model: any FusionModel, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var file = model.stateDict()
        file.metadata = [specKey: String(decoding: try encoder.encode(model.spec), as: UTF8.self)]
        try file.write(to: url)
    }

    /// The spec and weights stored at `url`.
    /// - Throws: `HNASError` naming the file when it cannot be read, is not safetensors, or holds no
    ///   valid spec.
    public static func read(from url: URL) throws -> (spec: FusionModelSpec, weights: SafeTensors) {
        let file = try SafeTensors.read(from: url)
        guard let text = file.metadata[specKey] else {
            throw HNASError.file(url.path, "not a fusion model", why: "no '\(specKey)' entry in the safetensors metadata")
        }
        do {
            return (try JSONDecoder().decode(FusionModelSpec.self, from: Data(text.utf8)), file)
        } catch let error as DecodingError {
            throw HNASError.file(url.path, "invalid fusion model spec in", why: Architecture.describe(error))
        }
    }

    /// The model stored at `url`, rebuilt by the fusion plugin the spec names (from `registry`)
    /// and loaded with its weights.
    /// - Throws: `HNASError` naming the file for a missing plugin, a spec the plugin rejects or
    ///   weights that do not fit the network.
    public static func load(from url: URL, registry: Registry) throws -> any FusionModel {
        let (spec, weights) = try read(from: url)
        let model: any FusionModel
        do {
            model = try registry.fusionSearches.make(spec.search).model(spec)
        } catch let error as HNASError {
            throw HNASError.file(url.path, "cannot rebuild the fusion model in", why: error.description)
        }
        try model.load(stateDict: weights, source: url.path)
        return model
    }
}

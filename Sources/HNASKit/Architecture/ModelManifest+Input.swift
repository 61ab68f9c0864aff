import Foundation

extension ModelManifest {
    /// The preprocessed input of `modality` from `value` through its modality plugin with the model's
    /// preprocessing options (from the manifest, or for an older manifest its pipeline's): a file path, or — for a modality that takes inline input (text) — the text itself
    /// when no such file exists. The result has a batch axis of 1. It needs only the manifest, so a command
    /// decodes every input before it loads the weights (a bad input fails fast).
    /// - Throws: `HNASError` naming the input when the model has no such input, or the plugin's error (the
    ///   file cannot be decoded, is of the wrong kind, or inline text is not accepted).
    public func decodeInput(_ modality: String, value: String, registry: Registry) throws -> Tensor {
        guard let input = inputs.first(where: { $0.modality == modality }) else {
            throw HNASError.argument("--input \(modality)", why: "the model has no '\(modality)' input (it takes "
                                     + inputs.map(\.modality).joined(separator: ", ") + ")")
        }
        let options = try input.preprocessing
            ?? registry.pipelines.make(dataset).inputs.first { $0.modality == modality }?.options ?? [:]
        let plugin = try registry.modalities.make(modality)
        let x: Tensor
        if FileManager.default.fileExists(atPath: value) {
            x = try plugin.load(URL(fileURLWithPath: value), options: options)
        } else if let inline = plugin as? any InlineTextModality {
            x = try inline.load(text: value, options: options)
        } else {
            throw HNASError.file(value, "cannot read --input \(modality)", why: "no such file (the \(modality) modality reads files only)")
        }
        return try x.reshaped([1] + x.shape)
    }

    /// Every input of the model, in the manifest's order, from `given` (modality → value, `--input MODALITY=VALUE`),
    /// each through `decodeInput`.
    /// - Throws: `HNASError` naming `--input` for a modality the model takes that `given` lacks or one it does not
    ///   take, or `decodeInput`'s error.
    public func decodeInputs(_ given: [String: String], registry: Registry) throws -> [Tensor] {
        let names = inputs.map(\.modality)
        if let missing = names.first(where: { given[$0] == nil }) {
            throw HNASError.argument("--input", why: "missing \(missing)=… (the model takes \(names.map { "\($0)=…" }.joined(separator: " ")))")
        }
        if let extra = given.keys.sorted().first(where: { !names.contains($0) }) {
            throw HNASError.argument("--input \(extra)", why: "the model has no '\(extra)' input (it takes \(names.joined(separator: ", ")))")
        }
        return try names.map { try decodeInput($0, value: given[$0]!, registry: registry) }
    }
}

import Foundation

/// A supernet training checkpoint: one safetensors file holding the network's state dict under its
/// own names, the optimiser's buffers under `optimizer.<buffer>.<name>` (SGD's momentum:
/// `optimizer.momentum.<name>`) with its counters as JSON in the metadata key `hnas.optimizer_state`,
/// the progressive teacher under `teacher.<name>`, and the `SupernetTrainingState` as JSON in the
/// metadata key `hnas.training_state`. Written atomically (temp file + rename).
struct SupernetCheckpoint {
    static let stateKey = "hnas.training_state"
    static let optimizerKey = "hnas.optimizer_state"
    static let optimizerPrefix = "optimizer."
    static let teacherPrefix = "teacher."

    var state: SupernetTrainingState
    var optimizer: OptimizerState
    var teacher: [String: Tensor]

    func write(to url: URL, network: OFAMobileNetV3) throws {
        var file = network.stateDict()
        var counters = optimizer
        for (name, slot) in optimizer.slots {
            for (buffer, t) in slot.buffers { file.tensors[Self.optimizerPrefix + buffer + "." + name] = .float32(t) }
            counters.slots[name]?.buffers = [:]
        }
        for (name, t) in teacher { file.tensors[Self.teacherPrefix + name] = .float32(t) }
        file.metadata[Self.stateKey] = String(decoding: try JSONEncoder().encode(state), as: UTF8.self)
        file.metadata[Self.optimizerKey] = String(decoding: try JSONEncoder().encode(counters), as: UTF8.self)
        try file.write(to: url)
    }

    private static func decode<T: Decodable>(_ type: T.Type, key: String, of file: SafeTensors, url: URL) throws -> T {
        guard let json = file.metadata[key] else {
            throw HNASError.file(url.path, "cannot resume from", why: "it has no '\(key)' metadata (not an hnas training checkpoint)")
        }
        do { return try JSONDecoder().decode(type, from: Data(json.utf8)) } catch {
            throw HNASError.file(url.path, "cannot resume from", why: "malformed '\(key)' metadata: \(error)")
        }
    }

    /// Loads the network's tensors from `url` into `network` and returns the rest.
    /// - Throws: `HNASError` naming the file when it is not a training checkpoint or does not fit the network.
    static func read(from url: URL, into network: OFAMobileNetV3) throws -> SupernetCheckpoint {
        let file = try SafeTensors.read(from: url)
        let state = try decode(SupernetTrainingState.self, key: stateKey, of: file, url: url)
        var optimizer = try decode(OptimizerState.self, key: optimizerKey, of: file, url: url)
        var weights = SafeTensors()
        var teacher: [String: Tensor] = [:]
        for (name, entry) in file.tensors {
            let rest = name.dropFirst(optimizerPrefix.count)
            if name.hasPrefix(optimizerPrefix), case .float32(let t) = entry, let dot = rest.firstIndex(of: ".") {
                // optimizer.<buffer>.<parameter>: buffer names have no dots, parameter names do.
                optimizer.slots[String(rest[rest.index(after: dot)...]), default: OptimizerState.Slot()].buffers[String(rest[..<dot])] = t
            } else if name.hasPrefix(teacherPrefix) {
                switch entry {
                case .float32(let t): teacher[String(name.dropFirst(teacherPrefix.count))] = t
                case .int64(let t): teacher[String(name.dropFirst(teacherPrefix.count))] = try Tensor(shape: t.shape, scalars: t.scalars.map(Float.init))
                }
            } else {
                weights.tensors[name] = entry
            }
        }
        try network.load(stateDict: weights, source: url.path)
        return SupernetCheckpoint(state: state, optimizer: optimizer, teacher: teacher)
    }
}

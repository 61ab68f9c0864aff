import Foundation

/// A supernet training checkpoint: one safetensors file holding the network's state dict under its
/// own names, the optimiser's momentum buffers under `optimizer.momentum.<name>`, the progressive
/// teacher under `teacher.<name>`, and the `SupernetTrainingState` as JSON in the metadata key
/// `hnas.training_state`. Written atomically (temp file + rename).
struct SupernetCheckpoint {
    static let stateKey = "hnas.training_state"
    static let momentumPrefix = "optimizer.momentum."
    static let teacherPrefix = "teacher."

    var state: SupernetTrainingState
    var momentum: [String: Tensor]
    var teacher: [String: Tensor]

    func write(to url: URL, network: OFAMobileNetV3) throws {
        var file = network.stateDict()
        for (name, t) in momentum { file.tensors[Self.momentumPrefix + name] = .float32(t) }
        for (name, t) in teacher { file.tensors[Self.teacherPrefix + name] = .float32(t) }
        let json = try JSONEncoder().encode(state)
        file.metadata[Self.stateKey] = String(decoding: json, as: UTF8.self)
        try file.write(to: url)
    }

    /// Loads the network's tensors from `url` into `network` and returns the rest.
    /// - Throws: `HNASError` naming the file when it is not a training checkpoint or does not fit the network.
    static func read(from url: URL, into network: OFAMobileNetV3) throws -> SupernetCheckpoint {
        let file = try SafeTensors.read(from: url)
        guard let json = file.metadata[stateKey] else {
            throw HNASError.file(url.path, "cannot resume from", why: "it has no '\(stateKey)' metadata (not an hnas training checkpoint)")
        }
        let state: SupernetTrainingState
        do { state = try JSONDecoder().decode(SupernetTrainingState.self, from: Data(json.utf8)) } catch {
            throw HNASError.file(url.path, "cannot resume from", why: "malformed training state: \(error)")
        }
        var weights = SafeTensors()
        var momentum: [String: Tensor] = [:], teacher: [String: Tensor] = [:]
        for (name, entry) in file.tensors {
            if name.hasPrefix(momentumPrefix), case .float32(let t) = entry {
                momentum[String(name.dropFirst(momentumPrefix.count))] = t
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
        return SupernetCheckpoint(state: state, momentum: momentum, teacher: teacher)
    }
}

/// What an optimiser remembers between steps, by parameter name: save it with a checkpoint and
/// hand it to `Optimizer.restore(_:)` to resume training exactly where it stopped.
///
/// SGD keeps one buffer per parameter (`"momentum"`, only when momentum ≠ 0); Adam keeps the
/// moment estimates `"m"` and `"v"`. A parameter without a slot has not been updated yet.
public struct OptimizerState: Codable, Equatable, Sendable {
    /// One parameter's memory.
    public struct Slot: Codable, Equatable, Sendable {
        /// How many updates the parameter has had (Adam's bias correction counts per parameter).
        public var updates: Int
        /// The buffers by name, each of the parameter's shape.
        public var buffers: [String: Tensor]

        public init(updates: Int = 0, buffers: [String: Tensor] = [:]) {
            self.updates = updates
            self.buffers = buffers
        }
    }

    /// `step()` calls made.
    public var step: Int
    /// The slots by parameter name.
    public var slots: [String: Slot]

    public init(step: Int = 0, slots: [String: Slot] = [:]) {
        self.step = step
        self.slots = slots
    }

    /// Names for parameters given without names: their positions ("0", "1", …).
    static func positional(_ parameters: [Parameter]) -> [(String, Parameter)] {
        parameters.enumerated().map { (String($0.offset), $0.element) }
    }

    /// Checks that every slot belongs to one of `named` and every buffer is one of `buffers` with
    /// its parameter's shape.
    /// - Throws: `HNASError` listing every mismatch.
    func check(against named: [(String, Parameter)], buffers: Set<String>) throws {
        let shapes = Dictionary(named.map { ($0.0, $0.1.shape) }, uniquingKeysWith: { first, _ in first })
        var problems: [String] = []
        for (name, slot) in slots.sorted(by: { $0.key < $1.key }) {
            guard let shape = shapes[name] else {
                problems.append("'\(name)' (no such parameter)")
                continue
            }
            for (buffer, t) in slot.buffers.sorted(by: { $0.key < $1.key }) {
                if !buffers.contains(buffer) {
                    problems.append("'\(name)' buffer '\(buffer)' (expected one of \(buffers.sorted().joined(separator: ", ")))")
                } else if t.shape != shape {
                    problems.append("'\(name)' buffer '\(buffer)' (shape \(t.shape), the parameter's is \(shape))")
                }
            }
        }
        guard problems.isEmpty else {
            throw HNASError.argument("optimizer state", why: "it does not fit the parameters: \(problems.joined(separator: "; "))")
        }
    }
}

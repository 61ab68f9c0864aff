import Foundation

/// What loading a state dict found: names missing from the file, names the model does not have,
/// and names whose shapes differ (`name: file [..] vs model [..]`).
public struct StateDictReport: Equatable, Sendable {
    public var missing: [String] = []
    public var unexpected: [String] = []
    public var mismatched: [String] = []
}

extension Module {
    /// Parameters (F32) and buffers (F32, or I64 for integer buffers) under their dotted names.
    public func stateDict() -> SafeTensors {
        var file = SafeTensors()
        for (name, p) in namedParameters() { file.tensors[name] = .float32(p.value.detached()) }
        for (name, b) in namedBuffers() {
            if b.isInteger {
                let ints = b.value.scalars.map { Int64($0) }
                file.tensors[name] = .int64(try! Int64Tensor(shape: b.value.shape, scalars: ints))
            } else {
                file.tensors[name] = .float32(b.value)
            }
        }
        return file
    }

    /// Copies `file[prefix + name]` into every parameter and buffer.
    ///
    /// Shapes must match exactly. Missing names are an error unless `allowMissing`; names in the
    /// file that the model lacks are an error unless `allowUnexpected`. Nothing is changed when
    /// an error is thrown. `source` names the file in errors.
    @discardableResult
    public func load(stateDict file: SafeTensors, prefix: String = "", allowMissing: Bool = false,
                     allowUnexpected: Bool = false, source: String = "state dict") throws -> StateDictReport {
        var report = StateDictReport()
        var assignments: [() -> Void] = []
        var used = Set<String>()
        for (name, p) in namedParameters() {
            guard let entry = file.tensors[prefix + name] else { report.missing.append(name); continue }
            used.insert(prefix + name)
            guard case .float32(let t) = entry, t.shape == p.shape else {
                report.mismatched.append("\(name): file \(entry.shape) vs model \(p.shape)")
                continue
            }
            assignments.append { p.value = t }
        }
        for (name, b) in namedBuffers() {
            guard let entry = file.tensors[prefix + name] else { report.missing.append(name); continue }
            used.insert(prefix + name)
            guard entry.shape == b.value.shape else {
                report.mismatched.append("\(name): file \(entry.shape) vs model \(b.value.shape)")
                continue
            }
            switch entry {
            case .float32(let t): assignments.append { b.value = t }
            case .int64(let t): assignments.append { b.value = try! Tensor(shape: t.shape, scalars: t.scalars.map(Float.init)) }
            }
        }
        report.unexpected = file.tensors.keys.filter { $0.hasPrefix(prefix) && !used.contains($0) }.sorted()
        var problems: [String] = []
        if !report.mismatched.isEmpty { problems.append("mis-shaped: \(report.mismatched.joined(separator: "; "))") }
        if !allowMissing && !report.missing.isEmpty { problems.append("missing: \(report.missing.joined(separator: ", "))") }
        if !allowUnexpected && !report.unexpected.isEmpty { problems.append("unexpected: \(report.unexpected.joined(separator: ", "))") }
        if !problems.isEmpty {
            throw HNASError.file(source, "cannot load weights from", why: problems.joined(separator: "; "))
        }
        for assign in assignments { assign() }
        return report
    }

    /// Saves `stateDict()` (with `metadata`) as a safetensors file, atomically.
    public func save(to url: URL, metadata: [String: String] = [:]) throws {
        var file = stateDict()
        file.metadata = metadata
        try file.write(to: url)
    }

    /// Loads weights from a safetensors file (see `load(stateDict:…)`).
    @discardableResult
    public func load(from url: URL, prefix: String = "", allowMissing: Bool = false, allowUnexpected: Bool = false) throws -> StateDictReport {
        try load(stateDict: try SafeTensors.read(from: url), prefix: prefix, allowMissing: allowMissing,
                 allowUnexpected: allowUnexpected, source: url.path)
    }
}

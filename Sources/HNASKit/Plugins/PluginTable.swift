/// The kinds of plugin hnas can swap at run time.
public enum PluginKind: String, CaseIterable, Sendable {
    case pipeline, modality, backbone, search, fusion, hardware

    /// The command-line flag that picks a plugin of this kind.
    public var flag: String {
        switch self {
        case .pipeline: return "--dataset"
        case .modality: return "--modality"
        case .backbone: return "--backbone"
        case .search: return "--search"
        case .fusion: return "--fusion"
        case .hardware: return "--hardware"
        }
    }
}

/// One line of `hnas plugins`.
public struct PluginInfo: Equatable, Sendable {
    public let kind: PluginKind
    public let name: String
    public let summary: String
}

/// Name → factory for one kind of plugin, in registration order.
///
/// Factories are stored rather than instances so that each run gets fresh plugin state.
public struct PluginTable<Product> {
    public let kind: PluginKind
    private var entries: [(info: PluginInfo, make: () throws -> Product)] = []

    public init(kind: PluginKind) {
        self.kind = kind
    }

    /// The registered names, in registration order.
    public var names: [String] { entries.map(\.info.name) }

    /// The `hnas plugins` lines of this table.
    public var infos: [PluginInfo] { entries.map(\.info) }

    /// Registers `make` under `name`; a second registration of the same name replaces the first,
    /// so a user target can override a stock plugin.
    public mutating func register(_ name: String, summary: String, make: @escaping () throws -> Product) {
        let info = PluginInfo(kind: kind, name: name, summary: summary)
        if let index = entries.firstIndex(where: { $0.info.name == name }) {
            entries[index] = (info, make)
        } else {
            entries.append((info, make))
        }
    }

    /// Builds the plugin registered as `name`.
    /// - Throws: `HNASError` naming the flag and listing the known names when `name` is unknown.
    public func make(_ name: String) throws -> Product {
        guard let entry = entries.first(where: { $0.info.name == name }) else {
            let known = names.isEmpty ? "none are registered" : "known: " + names.joined(separator: ", ")
            throw HNASError("unknown \(kind.rawValue) plugin", .argument(kind.flag),
                            why: "'\(name)' is not registered (\(known))")
        }
        return try entry.make()
    }
}

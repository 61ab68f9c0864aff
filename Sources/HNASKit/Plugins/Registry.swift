/// Every plugin hnas knows, by kind and name.
///
/// Plugin targets expose one `register(into:)` function that adds their factories here; the `hnas`
/// executable calls them all, so `--dataset avmnist|mmimdb|memes`, `--search evolution|random`, `--fusion darts|random`,
/// `--hardware tx2|agx|host` pick implementations at run time. Adding a modality is one new
/// target plus one `register` call.
public struct Registry {
    public var pipelines = PluginTable<any Pipeline>(kind: .pipeline)
    public var modalities = PluginTable<any Modality>(kind: .modality)
    public var backbones = PluginTable<any Backbone>(kind: .backbone)
    public var searchStrategies = PluginTable<any SearchStrategy>(kind: .search)
    public var fusionSearches = PluginTable<any FusionSearch>(kind: .fusion)
    public var hardwareModels = PluginTable<any HardwareModel>(kind: .hardware)

    public init() {}

    /// All registered plugins, grouped by kind in `PluginKind` order.
    public var all: [PluginInfo] {
        pipelines.infos + modalities.infos + backbones.infos + searchStrategies.infos + fusionSearches.infos + hardwareModels.infos
    }
}

/// The Codable description of a `FusionModel` without its weights: which fusion plugin rebuilds it,
/// its fusion architecture (macro + genotype), the shape of its inputs and outputs, and the plugin's
/// own size settings. Saved next to the weights (`fusion.safetensors` metadata) so a model
/// directory can be rebuilt.
public struct FusionModelSpec: Hashable, Codable, Sendable {
    /// The registry name of the fusion search whose `model(_:)` rebuilds it (e.g. `"darts"`).
    public var search: String
    /// The macro-architecture and genotype (the `fusion` entry of `arch.json`).
    public var architecture: FusionArchitecture
    /// `shape[1]` of each input node's features (channels), in input-node order.
    public var inputChannels: [Int]
    /// The classifier's output width (classes, or labels of a multi-label task).
    public var outputs: Int
    /// The plugin's size settings by name (DARTS: `C`, `L`, `multiplier`, `dropout`).
    public var settings: [String: Double]

    public init(search: String, architecture: FusionArchitecture, inputChannels: [Int], outputs: Int, settings: [String: Double]) {
        self.search = search
        self.architecture = architecture
        self.inputChannels = inputChannels
        self.outputs = outputs
        self.settings = settings
    }

    enum CodingKeys: String, CodingKey {
        case search, architecture, inputChannels = "input_channels", outputs, settings
    }
}

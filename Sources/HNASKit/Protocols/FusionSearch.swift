/// The inner search that designs the fusion network for a pair of frozen backbones
/// (DARTS, random, …), swapped with `--fusion NAME`.
public protocol FusionSearch {
    /// The registry name, e.g. `"darts"`.
    var name: String { get }
}

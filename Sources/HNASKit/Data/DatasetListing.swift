/// The result of reading a dataset's layout: its splits and every problem found on the way.
///
/// Pipelines collect all layout problems (missing folders, unpaired or duplicate samples, labels out
/// of range) instead of stopping at the first, so `hnas data check` can report them all; opening a
/// dataset for training throws when there is any.
public struct DatasetListing {
    /// The splits as far as they could be listed.
    public var splits: [DatasetSplit] = []
    /// Every problem found, each naming its file or folder.
    public var problems: [HNASError] = []
    /// Remarks that are not errors (e.g. files the pairing rule leaves unused).
    public var notes: [String] = []

    public init() {}

    /// The splits, or the problems as one error.
    /// - Throws: the only problem, or one `HNASError` line with the count and the first (errors are one line;
    ///   `hnas data check` lists them all).
    public func validSplits() throws -> [DatasetSplit] {
        switch problems.count {
        case 0: return splits
        case 1: throw problems[0]
        default:
            throw HNASError("invalid dataset layout", why: "\(problems.count) problems, the first: \(problems[0]) "
                            + "(`hnas data check` lists them all)")
        }
    }
}

import Foundation

/// The MM-IMDB split file (`mmimdb_split.json`): IMDb ids per stage, `train`, `dev`, `test`.
///
/// A sample's stage is the list its id is in, and its index k is its position in that list, so the
/// prepared files `<stage>/image_{k:06d}.npy` follow the split file's order, not the HDF5 file's.
public struct MMIMDBSplit: Equatable {
    /// The stages in file order.
    public static let stages = ["train", "dev", "test"]
    /// Ids per stage.
    public let ids: [String: [String]]
    private let positions: [String: (stage: String, index: Int)]

    public static func == (a: MMIMDBSplit, b: MMIMDBSplit) -> Bool { a.ids == b.ids }

    /// Parses the split file at `url`.
    /// - Throws: `HNASError` naming the file when it is not a JSON object with string arrays
    ///   `train`, `dev` and `test`, or when an id is empty or appears twice (in one or two stages).
    public init(contentsOf url: URL) throws {
        let data = try FileContents.read(url, "cannot read MM-IMDB split file")
        try self.init(json: data, path: url.relativePath)
    }

    /// Parses split JSON `data`; `path` names it in errors.
    public init(json data: Data, path: String) throws {
        func fail(_ why: String) -> HNASError { .file(path, "invalid MM-IMDB split file", why: why) }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw fail("not a JSON object")
        }
        var ids: [String: [String]] = [:]
        var positions: [String: (stage: String, index: Int)] = [:]
        for stage in MMIMDBSplit.stages {
            guard let list = object[stage] as? [String] else { throw fail("'\(stage)' is missing or not an array of id strings") }
            for (index, id) in list.enumerated() {
                guard !id.isEmpty else { throw fail("'\(stage)' has an empty id at position \(index)") }
                if let first = positions[id] {
                    throw fail("duplicate id '\(id)': \(first.stage)[\(first.index)] and \(stage)[\(index)]")
                }
                positions[id] = (stage, index)
            }
            ids[stage] = list
        }
        self.ids = ids
        self.positions = positions
    }

    /// The stage and index of `id`, or nil when it is in no list.
    public func position(of id: String) -> (stage: String, index: Int)? {
        positions[id]
    }

    /// The total number of ids.
    public var count: Int { positions.count }
}

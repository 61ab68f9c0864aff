/// Which sounds of an AV-MNIST training class folder are paired with its images, and in which order.
///
/// Sound files are named `<digit>_<speaker>_<k>.wav`; the speaker is the second `_`-separated field.
/// Both rules read the byte-wise sorted file list and are fully deterministic:
///
/// - **FSDD rule** (the original's, used when the folder holds any `jackson` or `nicolas` file):
///   the first n/3 files of speaker `jackson`, then the first n/3 of `nicolas`, then the first n/3
///   of all other speakers together (in sorted order; in FSDD that is `theo`), concatenated.
/// - **Sorted speaker round-robin** (any other speaker names, e.g. the embedded sample's synthetic
///   voices): group the files by speaker, speakers in byte-wise sorted order and each speaker's files
///   in sorted order; take the first file of every speaker in speaker order, then the second file of
///   every speaker that has one, and so on, until n files are taken.
///
/// n is the number of images per class (105, or 60 for the original's `small_dataset`).
public enum SpeakerPairing: Equatable, Sendable {
    case fsdd
    case roundRobin

    /// The rule that applies to the sorted `files` of one folder.
    public static func rule(for files: [String]) -> SpeakerPairing {
        files.contains { ["jackson", "nicolas"].contains(speaker(of: $0)) } ? .fsdd : .roundRobin
    }

    /// The speaker field of a sound file name (`""` when there is no second field).
    public static func speaker(of file: String) -> String {
        let fields = file.split(separator: "_", omittingEmptySubsequences: false)
        return fields.count > 1 ? String(fields[1]) : ""
    }

    /// The `n` files paired with the images, in pairing order, or a description of why there are not enough.
    public func select(_ files: [String], count n: Int) -> Result<[String], PairingShortage> {
        switch self {
        case .fsdd:
            let block = n / 3
            let groups: [(String, (String) -> Bool)] = [
                ("jackson", { $0 == "jackson" }), ("nicolas", { $0 == "nicolas" }),
                ("other speakers", { $0 != "jackson" && $0 != "nicolas" }),
            ]
            var chosen: [String] = []
            for (name, matches) in groups {
                let taken = files.filter { matches(SpeakerPairing.speaker(of: $0)) }.prefix(block)
                guard taken.count == block else {
                    return .failure(PairingShortage(need: block, found: taken.count, of: name))
                }
                chosen += taken
            }
            return .success(chosen)
        case .roundRobin:
            var bySpeaker: [String: [String]] = [:]
            for file in files { bySpeaker[SpeakerPairing.speaker(of: file), default: []].append(file) }
            let speakers = bySpeaker.keys.sorted(by: FolderListing.precedes)
            var chosen: [String] = []
            var round = 0
            while chosen.count < n {
                let layer = speakers.compactMap { speaker in bySpeaker[speaker]!.count > round ? bySpeaker[speaker]![round] : nil }
                if layer.isEmpty { return .failure(PairingShortage(need: n, found: chosen.count, of: "all speakers")) }
                chosen += layer.prefix(n - chosen.count)
                round += 1
            }
            return .success(chosen)
        }
    }
}

/// Too few sound files for the pairing rule: `need` files of `of`, `found` available.
public struct PairingShortage: Error, Equatable, Sendable {
    public let need: Int
    public let found: Int
    public let of: String
}

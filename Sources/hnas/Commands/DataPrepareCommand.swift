import ArgumentParser
import Foundation
import HNASKit

/// `hnas data prepare mmimdb --hdf5 FILE --out DIR`: the published MM-IMDB HDF5 file → the
/// original's per-sample `.npy` layout.
struct DataPrepareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prepare",
        abstract: "Convert a published dataset file into the layout hnas reads (mmimdb: HDF5 → per-sample .npy).",
        discussion: """
            Streams the HDF5 file row by row into <out>/{train,dev,test}/{image,text,label}_<k>.npy,
            ordered and split by the split file (default: the original's mmimdb_split.json, bundled),
            writing into a temporary folder that is renamed to <out> at the end.

            Example:
              hnas data prepare mmimdb --hdf5 multimodal_imdb.hdf5 --out data/mmimdb
            """
    )

    @Argument(help: "The dataset to prepare: mmimdb.")
    var dataset: String

    @Option(help: "The MM-IMDB HDF5 file (multimodal_imdb.hdf5).")
    var hdf5: String

    @Option(help: "The output folder (must not exist).")
    var out: String

    @Option(help: "A split JSON (train/dev/test id lists) instead of the bundled original one.")
    var split: String?

    func run() throws {
        guard dataset == "mmimdb" else {
            throw HNASError.argument("dataset", why: "only 'mmimdb' has a prepare step (got '\(dataset)')")
        }
        guard let splitURL = split.map({ URL(fileURLWithPath: $0) }) ?? MMIMDBConverter.bundledSplit else {
            throw HNASError.argument("--split", why: "the bundled mmimdb_split.json is missing from this build; pass --split")
        }
        let splitData = try FileContents.read(splitURL, "cannot read MM-IMDB split file")
        let converter = MMIMDBConverter(hdf5: URL(fileURLWithPath: hdf5),
                                        split: try MMIMDBSplit(json: splitData, path: splitURL.path), splitData: splitData)
        try converter.prepare(out: URL(fileURLWithPath: out)) { done, total in
            FileHandle.standardError.write(Data("prepare mmimdb: \(done)/\(total) samples\n".utf8))
        }
        print("wrote \(out)")
    }
}
